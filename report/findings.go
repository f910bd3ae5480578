package report

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// FindingsInput selects what a findings report covers.
type FindingsInput struct {
	// Window is the findings' last-update window.
	Window telemetry.Window
	// Source names where the findings came from (snapshot dir, live).
	Source string
	// Product is securityhub, guardduty or both.
	Product string
	// MinSeverity is the lowest severity included ("" = all).
	MinSeverity string
	// Resources, when set, keeps findings whose resource contains one of
	// them (case-insensitive): an ARN, an instance id, a bucket name…
	Resources []string
	// Language is en or ja.
	Language string
	// Location is the reader's time zone; nil is UTC.
	Location  *time.Location
	Generated time.Time
}

// Count is one row of a breakdown.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// FindingsReport is a security findings report: counts, the findings that
// matter most with why and how to fix them, and what to do next. It is
// complete without a model; a Narrator may add an overview on top.
type FindingsReport struct {
	Title      string              `json:"title"`
	Language   string              `json:"language"`
	Source     string              `json:"source"`
	Product    string              `json:"product"`
	Window     telemetry.Window    `json:"window"`
	Generated  time.Time           `json:"generated"`
	Total      int                 `json:"total"`
	BySeverity []Count             `json:"by_severity"`
	ByType     []Count             `json:"by_type"`
	ByResource []Count             `json:"by_resource"`
	Priority   []FindingItem       `json:"priority"`
	Others     []telemetry.Finding `json:"others,omitempty"`
	Actions    []string            `json:"actions"`
	NextSteps  []string            `json:"next_steps"`
	Warnings   []string            `json:"warnings,omitempty"`
	// Narrative is the model's overview when a Narrator wrote one.
	Narrative string `json:"narrative,omitempty"`
	loc       *time.Location
}

// FindingItem is a finding that needs attention, explained.
type FindingItem struct {
	telemetry.Finding
	Why         string `json:"why"`
	Remediation string `json:"remediation"`
	// RemediationURL is the product's documentation for the fix.
	RemediationURL string `json:"remediation_url,omitempty"`
}

// Narrator writes a findings report's overview in the report's language
// (Bedrock with the prompts/ findings template). fa2 works without one;
// the report is then fully deterministic.
type Narrator interface {
	NarrateFindings(ctx context.Context, r *FindingsReport) (string, error)
}

// maxPriority bounds the findings explained one by one; the rest are
// counted and listed briefly.
const maxPriority = 20

// BuildFindings turns the get_findings collector's result into a report.
// Findings are those already filtered by window, product and severity;
// Resources narrows them further here.
func BuildFindings(list *telemetry.FindingList, in FindingsInput) *FindingsReport {
	loc := in.Location
	if loc == nil {
		loc = time.UTC
	}
	lang := in.Language
	if lang != "ja" {
		lang = "en"
	}
	t := texts[lang]
	r := &FindingsReport{Language: lang, Source: in.Source, Product: in.Product, Window: in.Window, Generated: in.Generated, loc: loc}
	if r.Generated.IsZero() {
		r.Generated = time.Now()
	}
	if r.Product == "" {
		r.Product = "both"
	}
	r.Title = t.title
	var fs []telemetry.Finding
	if list != nil {
		r.Warnings = append(r.Warnings, list.Stats.Warnings...)
		if list.Stats.Partial != "" {
			r.Warnings = append(r.Warnings, list.Stats.Partial)
		}
		for _, f := range list.Findings {
			if evidence.SeverityAtLeast(f.Severity, in.MinSeverity) && matchesResource(f, in.Resources) {
				fs = append(fs, f)
			}
		}
	}
	evidence.SortFindings(fs)
	r.Total = len(fs)
	sev, typ, res := map[string]int{}, map[string]int{}, map[string]int{}
	for _, f := range fs {
		sev[f.Severity]++
		typ[findingKind(f)]++
		res[resourceLabel(f)]++
	}
	for i := len(telemetry.SeverityLabels) - 1; i >= 0; i-- {
		if n := sev[telemetry.SeverityLabels[i]]; n > 0 {
			r.BySeverity = append(r.BySeverity, Count{telemetry.SeverityLabels[i], n})
		}
	}
	r.ByType, r.ByResource = sortedCounts(typ, 15), sortedCounts(res, 15)
	for _, f := range fs {
		if evidence.SeverityRankOf(f.Severity) >= evidence.SeverityRankOf("HIGH") && len(r.Priority) < maxPriority {
			r.Priority = append(r.Priority, explain(f, lang))
		} else {
			r.Others = append(r.Others, f)
		}
	}
	// With no high-severity finding, the most severe few are still worth
	// explaining.
	if len(r.Priority) == 0 {
		n := min(5, len(r.Others))
		for _, f := range r.Others[:n] {
			r.Priority = append(r.Priority, explain(f, lang))
		}
		r.Others = r.Others[n:]
	}
	r.Actions, r.NextSteps = plan(r, lang)
	return r
}

// Narrate asks n for an overview; a failing narrator leaves the
// deterministic report and adds a warning naming the failure.
func (r *FindingsReport) Narrate(ctx context.Context, n Narrator) {
	if n == nil {
		return
	}
	text, err := n.NarrateFindings(ctx, r)
	if err != nil {
		r.Warnings = append(r.Warnings, "the model's overview is missing: "+err.Error())
		return
	}
	r.Narrative = strings.TrimSpace(text)
}

func matchesResource(f telemetry.Finding, resources []string) bool {
	if len(resources) == 0 {
		return true
	}
	hay := strings.ToLower(f.Resource + " " + f.ID + " " + f.Title)
	for _, r := range resources {
		if r = strings.ToLower(strings.TrimSpace(r)); r != "" && strings.Contains(hay, r) {
			return true
		}
	}
	return false
}

// findingKind is the control id (S3.1) or the finding type.
func findingKind(f telemetry.Finding) string {
	if f.ControlID != "" {
		return f.ControlID
	}
	if f.Type != "" {
		return f.Type
	}
	return "(no type)"
}

func resourceLabel(f telemetry.Finding) string {
	if f.Resource == "" {
		return "(no resource)"
	}
	return f.Resource
}

func sortedCounts(m map[string]int, limit int) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// explain says why a finding matters and how to fix it: the product's own
// description and remediation first, then what its category means.
func explain(f telemetry.Finding, lang string) FindingItem {
	t := texts[lang]
	it := FindingItem{Finding: f, RemediationURL: f.RemediationURL}
	cat := category(f)
	why := t.why[cat]
	if f.Description != "" && !strings.EqualFold(strings.TrimRight(f.Description, "."), strings.TrimRight(f.Title, ".")) {
		why = strings.TrimSpace(f.Description) + " " + why
	}
	it.Why = strings.TrimSpace(why)
	// The product's recommendation is often a pointer to its documentation;
	// the category's fix says what to do in a sentence, before it.
	it.Remediation = t.fix[cat]
	if f.Remediation != "" {
		it.Remediation += " " + strings.TrimSpace(f.Remediation)
	}
	if it.RemediationURL == "" && f.Source == telemetry.FindingSourceGuardDuty {
		it.RemediationURL = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_remediate.html"
	}
	return it
}

// category groups findings by what they mean for the account.
func category(f telemetry.Finding) string {
	if f.Source == telemetry.FindingSourceGuardDuty {
		prefix := f.Type
		if i := strings.IndexByte(prefix, ':'); i > 0 {
			prefix = prefix[:i]
		}
		switch prefix {
		case "Recon", "Discovery":
			return "recon"
		case "UnauthorizedAccess", "CredentialAccess", "InitialAccess", "PrivilegeEscalation", "Persistence":
			return "access"
		case "Backdoor", "Trojan", "CryptoCurrency", "Execution", "Impact", "DefenseEvasion", "Stealth":
			return "compromise"
		case "Exfiltration":
			return "exfiltration"
		case "Policy", "PenTest":
			return "policy"
		}
		return "threat"
	}
	svc := f.ControlID
	if i := strings.IndexByte(svc, '.'); i > 0 {
		svc = svc[:i]
	}
	switch svc {
	case "IAM", "Account", "KMS", "SecretsManager":
		return "identity"
	case "EC2", "ELB", "CloudFront", "APIGateway", "ES", "Opensearch", "WAF":
		return "network"
	case "S3", "RDS", "DynamoDB", "EFS", "Redshift", "ElastiCache", "Backup":
		return "data"
	case "CloudTrail", "Config", "GuardDuty", "CloudWatch":
		return "logging"
	}
	return "config"
}

// plan derives the recommended actions and next steps from the report.
func plan(r *FindingsReport, lang string) (actions, next []string) {
	t := texts[lang]
	if r.Total == 0 {
		return []string{t.noneAction}, []string{t.rerun}
	}
	critical := 0
	for _, c := range r.BySeverity {
		if c.Key == "CRITICAL" || c.Key == "HIGH" {
			critical += c.Count
		}
	}
	if critical > 0 {
		actions = append(actions, fmt.Sprintf(t.triage, critical))
	}
	cats := map[string]bool{}
	for _, it := range r.Priority {
		cats[category(it.Finding)] = true
	}
	for _, c := range []string{"compromise", "access", "exfiltration", "network", "identity", "data", "logging", "recon"} {
		if cats[c] {
			actions = append(actions, t.action[c])
		}
	}
	// A control failing on several resources is one fix, applied widely.
	for _, c := range r.ByType {
		if c.Count >= 3 && !strings.Contains(c.Key, ":") && !strings.Contains(c.Key, "/") {
			actions = append(actions, fmt.Sprintf(t.widespread, c.Key, c.Count))
		}
	}
	actions = append(actions, t.suppress)
	next = append(next, t.owners, t.rerun)
	if cats["access"] || cats["compromise"] || cats["exfiltration"] {
		next = append(next, t.cloudtrail)
	}
	return actions, next
}

// Markdown renders the report.
func (r *FindingsReport) Markdown() string {
	t := texts[r.Language]
	loc := r.loc
	if loc == nil {
		loc = time.UTC
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", r.Title)
	fmt.Fprintf(&b, "%s %s – %s (%s) · %s %s · %s %s\n\n", t.window, r.Window.Start.In(loc).Format("2006-01-02 15:04"), r.Window.End.In(loc).Format("2006-01-02 15:04"), zoneName(loc, r.Window.Start), t.product, r.Product, t.source, r.Source)

	fmt.Fprintf(&b, "## %s\n\n", t.overview)
	if r.Narrative != "" {
		b.WriteString(r.Narrative + "\n\n")
	}
	if r.Total == 0 {
		b.WriteString(t.noFindings + "\n\n")
	} else {
		var parts []string
		for _, c := range r.BySeverity {
			parts = append(parts, fmt.Sprintf("%d %s", c.Count, c.Key))
		}
		fmt.Fprintf(&b, t.summary+"\n\n", r.Total, strings.Join(parts, ", "), len(r.ByResource))
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "> %s %s\n\n", t.warning, w)
	}
	if r.Total > 0 {
		fmt.Fprintf(&b, "## %s\n\n", t.counts)
		b.WriteString(countTable(t.severity, r.BySeverity))
		b.WriteString(countTable(t.kind, r.ByType))
		b.WriteString(countTable(t.resource, r.ByResource))
	}
	if len(r.Priority) > 0 {
		fmt.Fprintf(&b, "## %s\n\n", t.priority)
		for i, it := range r.Priority {
			fmt.Fprintf(&b, "### %d. [%s] %s\n\n", i+1, it.Severity, it.Title)
			fmt.Fprintf(&b, "- **%s:** %s · %s · %s %s", t.what, it.Source, findingKind(it.Finding), t.resource, resourceLabel(it.Finding))
			if it.Count > 1 {
				fmt.Fprintf(&b, " · ×%d", it.Count)
			}
			fmt.Fprintf(&b, " · %s %s\n", t.lastSeen, it.LastSeen.In(loc).Format("2006-01-02 15:04"))
			fmt.Fprintf(&b, "- **%s:** %s\n", t.whyMatters, it.Why)
			fmt.Fprintf(&b, "- **%s:** %s", t.remediation, it.Remediation)
			if it.RemediationURL != "" {
				fmt.Fprintf(&b, " (%s)", it.RemediationURL)
			}
			b.WriteString("\n\n")
		}
	}
	if len(r.Others) > 0 {
		fmt.Fprintf(&b, "## %s\n\n| %s | %s | %s | %s |\n|---|---|---|---|\n", t.others, t.severity, t.kind, t.titleCol, t.resource)
		for i, f := range r.Others {
			if i == 30 {
				fmt.Fprintf(&b, "\n"+t.more+"\n", len(r.Others)-30)
				break
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", f.Severity, cell(findingKind(f)), cell(clipRunes(f.Title, 90)), cell(resourceLabel(f)))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "## %s\n\n", t.actions)
	for i, a := range r.Actions {
		fmt.Fprintf(&b, "%d. %s\n", i+1, a)
	}
	fmt.Fprintf(&b, "\n## %s\n\n", t.next)
	for _, n := range r.NextSteps {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	return b.String()
}

func countTable(head string, cs []Count) string {
	if len(cs) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| %s | n |\n|---|---:|\n", head)
	for _, c := range cs {
		fmt.Fprintf(&b, "| %s | %d |\n", cell(c.Key), c.Count)
	}
	b.WriteString("\n")
	return b.String()
}

// reportTexts are the fixed sentences of a findings report in one language.
type reportTexts struct {
	title, window, product, source, overview, noFindings, summary, warning string
	counts, severity, kind, resource, priority, what, lastSeen, whyMatters string
	remediation, others, titleCol, more, actions, next                     string
	noneAction, rerun, triage, widespread, suppress, owners, cloudtrail    string
	why, fix, action                                                       map[string]string
}

var texts = map[string]reportTexts{
	"en": {
		title: "Security findings report", window: "Findings updated", product: "product:", source: "source:",
		overview: "Overview", noFindings: "No active finding matches. Nothing to act on in this window.",
		summary: "%d active findings (%s) on %d resources.", warning: "Note:",
		counts: "Counts", severity: "severity", kind: "type or control", resource: "resource",
		priority: "High-severity issues first", what: "What", lastSeen: "last seen", whyMatters: "Why it matters",
		remediation: "Remediation", others: "Other findings", titleCol: "title", more: "…and %d more: narrow with min_severity or resources.",
		actions: "Recommended actions", next: "Next steps",
		noneAction: "No action needed for these filters; check that Security Hub and GuardDuty are enabled in every region you use.",
		rerun:      "Run the report again after fixing (fa2 report findings) to confirm the findings move to RESOLVED or ARCHIVED.",
		triage:     "Triage the %d critical and high findings today: assign an owner to each and fix or accept it.",
		widespread: "Control %s fails on %d resources: fix it once in the template or pipeline that creates them, not resource by resource.",
		suppress:   "For a finding that is expected (a public website bucket, a bastion's open SSH), set its workflow status to SUPPRESSED with a note, so the ones that matter stand out.",
		owners:     "Send each resource's findings to the team that owns it; the counts by resource above show where to start.",
		cloudtrail: "For the access and compromise findings, read CloudTrail for the principal and resource around the first-seen time (fa2 query_cloudtrail) to see what was done.",
		why: map[string]string{
			"recon":        "Someone is mapping the resource from outside; reconnaissance often precedes an attack and shows what is exposed.",
			"access":       "It indicates credentials or access used in a way that is not normal for the account: a possible intrusion.",
			"compromise":   "It indicates the resource may already be compromised (malware, mining, a backdoor) and may be used against you or others.",
			"exfiltration": "Data may be leaving the account.",
			"policy":       "A security setting was changed in a way that weakens the account.",
			"threat":       "GuardDuty saw activity that matches a known threat pattern.",
			"identity":     "Identity and key settings protect every other resource: a weakness here widens the impact of any compromise.",
			"network":      "The resource is reachable more widely than it needs to be, which gives attackers a way in.",
			"data":         "Data may be exposed, unencrypted or unrecoverable.",
			"logging":      "Without this logging or detection, an incident would go unseen or could not be investigated.",
			"config":       "The resource's configuration departs from AWS's security best practices.",
		},
		fix: map[string]string{
			"recon":        "Close the probed ports to the internet (security groups, NACLs) or put the service behind a load balancer or VPN.",
			"access":       "Rotate the credentials involved, review the principal's recent activity, and restrict its permissions.",
			"compromise":   "Isolate the resource (restrictive security group), snapshot it for forensics, then replace it from a known-good image.",
			"exfiltration": "Block the destination, rotate the credentials involved, and review what data was accessed.",
			"policy":       "Restore the previous setting and find who changed it.",
			"threat":       "Follow GuardDuty's remediation guide for this finding type.",
			"identity":     "Apply the control's recommended setting to the account or key.",
			"network":      "Restrict the rule or endpoint to the sources that need it.",
			"data":         "Turn on the control's protection (block public access, encryption, backups).",
			"logging":      "Turn the logging or detector on in every region you use.",
			"config":       "Apply the control's recommended configuration.",
		},
		action: map[string]string{
			"compromise":   "Isolate and replace the resources GuardDuty flags as compromised before anything else.",
			"access":       "Rotate the credentials named in the access findings and review what they did.",
			"exfiltration": "Stop the data flow named in the exfiltration findings and assess what left.",
			"network":      "Close the network exposures: restrict security groups and public endpoints to the sources that need them.",
			"identity":     "Fix the identity and key findings first among the configuration ones: they guard every other resource.",
			"data":         "Protect the data stores named above: block public access, encrypt, back up.",
			"logging":      "Turn on the missing logging and detection so the next incident can be investigated.",
			"recon":        "Reduce what the probes can see: close unused ports to the internet.",
		},
	},
	"ja": {
		title: "セキュリティ検出結果レポート", window: "更新期間", product: "製品:", source: "ソース:",
		overview: "概要", noFindings: "条件に合うアクティブな検出結果はありません。この期間に対応の必要はありません。",
		summary: "アクティブな検出結果は %d 件（%s）、対象リソースは %d 件です。", warning: "注意:",
		counts: "件数", severity: "重大度", kind: "タイプまたはコントロール", resource: "リソース",
		priority: "重大度の高い問題", what: "内容", lastSeen: "最終検出", whyMatters: "重要な理由",
		remediation: "修復方法", others: "その他の検出結果", titleCol: "タイトル", more: "…ほか %d 件。min_severity または resources で絞り込んでください。",
		actions: "推奨アクション", next: "次のステップ",
		noneAction: "この条件では対応不要です。利用中のすべてのリージョンで Security Hub と GuardDuty が有効か確認してください。",
		rerun:      "修正後にもう一度レポートを作成し（fa2 report findings）、検出結果が RESOLVED または ARCHIVED になったことを確認してください。",
		triage:     "重大度 CRITICAL と HIGH の %d 件を今日中にトリアージしてください。各件に担当者を割り当て、修正するか受け入れるかを決めます。",
		widespread: "コントロール %s が %d 件のリソースで失敗しています。リソースごとではなく、リソースを作成するテンプレートやパイプラインで一度に修正してください。",
		suppress:   "想定どおりの検出結果（公開 Web サイト用バケット、踏み台の SSH など）はメモを付けてワークフローステータスを SUPPRESSED にし、重要なものが埋もれないようにしてください。",
		owners:     "リソースごとの検出結果を所有チームに渡してください。上のリソース別件数が優先順位の目安です。",
		cloudtrail: "アクセスや侵害の検出結果については、初回検出時刻の前後の CloudTrail をプリンシパルとリソースで確認してください（fa2 query_cloudtrail）。",
		why: map[string]string{
			"recon":        "外部から偵察されています。偵察は攻撃の前触れであることが多く、何が公開されているかを示します。",
			"access":       "認証情報やアクセスが通常と異なる方法で使われています。侵入の可能性があります。",
			"compromise":   "リソースがすでに侵害されている可能性があります（マルウェア、マイニング、バックドア）。",
			"exfiltration": "データがアカウント外に持ち出されている可能性があります。",
			"policy":       "セキュリティ設定が弱まる方向に変更されました。",
			"threat":       "GuardDuty が既知の脅威パターンに一致する活動を検出しました。",
			"identity":     "ID とキーの設定は他のすべてのリソースを守ります。ここに弱点があると侵害の影響が広がります。",
			"network":      "必要以上に広い範囲から到達可能で、攻撃の入口になります。",
			"data":         "データが公開、未暗号化、または復旧不能な状態の可能性があります。",
			"logging":      "このログや検出がないと、インシデントに気付けず調査もできません。",
			"config":       "AWS のセキュリティベストプラクティスから外れた設定です。",
		},
		fix: map[string]string{
			"recon":        "探索されたポートをインターネットから閉じる（セキュリティグループ、NACL）か、ロードバランサーや VPN の背後に置いてください。",
			"access":       "関係する認証情報をローテーションし、プリンシパルの最近の操作を確認して権限を絞ってください。",
			"compromise":   "リソースを隔離し（制限的なセキュリティグループ）、調査用にスナップショットを取り、正常なイメージから置き換えてください。",
			"exfiltration": "送信先を遮断し、認証情報をローテーションし、アクセスされたデータを確認してください。",
			"policy":       "以前の設定に戻し、誰が変更したかを確認してください。",
			"threat":       "この検出タイプに対する GuardDuty の修復ガイドに従ってください。",
			"identity":     "コントロールの推奨設定をアカウントまたはキーに適用してください。",
			"network":      "ルールやエンドポイントを必要な送信元だけに制限してください。",
			"data":         "コントロールの保護を有効にしてください（パブリックアクセスのブロック、暗号化、バックアップ）。",
			"logging":      "利用中のすべてのリージョンでログ記録や検出を有効にしてください。",
			"config":       "コントロールの推奨設定を適用してください。",
		},
		action: map[string]string{
			"compromise":   "GuardDuty が侵害を示したリソースを最優先で隔離し、置き換えてください。",
			"access":       "アクセス系の検出結果に含まれる認証情報をローテーションし、その操作を確認してください。",
			"exfiltration": "持ち出しの検出結果にある通信を止め、何が流出したかを評価してください。",
			"network":      "ネットワークの露出を閉じてください。セキュリティグループと公開エンドポイントを必要な送信元に限定します。",
			"identity":     "設定系の中では ID とキーの検出結果を最初に修正してください。他のすべてのリソースを守る設定です。",
			"data":         "上記のデータストアを保護してください（パブリックアクセスのブロック、暗号化、バックアップ）。",
			"logging":      "不足しているログ記録と検出を有効にし、次のインシデントを調査できるようにしてください。",
			"recon":        "不要なポートをインターネットから閉じ、探索で見える範囲を減らしてください。",
		},
	},
}

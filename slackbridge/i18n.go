package slackbridge

import (
	"fmt"
	"time"
)

// texts are the strings the bridge posts, in English and Japanese. Every
// key exists in both; a test checks it.
var texts = map[string][2]string{
	// The form in the alarm's thread and the /fa2 modal.
	"form.intro":      {"*%s* went into ALARM. Investigate it? The window below is the alarm's suggested one; adjust it or the description first if you like.", "*%s* が ALARM になりました。調査しますか？ 期間はアラームから推定したものです。必要なら期間と説明を直してから開始してください。"},
	"form.intro.cmd":  {"What should fa2 investigate? Describe the symptom and the window.", "何を調査しますか？ 症状と期間を入力してください。"},
	"form.title":      {"Investigate with fa2", "fa2 で調査"},
	"form.start":      {"From", "開始"},
	"form.end":        {"To", "終了"},
	"form.desc":       {"What is happening", "何が起きているか"},
	"form.desc.hint":  {"Symptoms, affected service, anything you already know.", "症状、影響を受けているサービス、分かっていること。"},
	"form.submit":     {"Investigate", "調査する"},
	"form.dismiss":    {"Not now", "今はしない"},
	"form.started":    {"Investigation started by <@%s>.", "<@%s> さんが調査を開始しました。"},
	"form.dismissed":  {"Dismissed by <@%s>.", "<@%s> さんが見送りました。"},
	"form.bad_window": {"The end must be after the start.", "終了は開始より後にしてください。"},
	"form.requested":  {"<@%s> asked fa2 to investigate: %s", "<@%s> さんの調査依頼: %s"},

	// The progress message, updated in place.
	"progress.title":       {":mag: Investigating *%s*", ":mag: *%s* を調査中"},
	"progress.queued":      {":hourglass_flowing_sand: Queued: %d investigation(s) ahead of this one. This message updates when it starts.", ":hourglass_flowing_sand: 待機中: 先に %d 件の調査があります。開始するとこのメッセージが更新されます。"},
	"progress.gathering":   {"Gathering evidence from every source…", "すべてのソースから証拠を収集中…"},
	"progress.analyzing":   {"Evidence posted below. Analysing the root cause…", "証拠を下に投稿しました。根本原因を分析中…"},
	"progress.elapsed":     {"elapsed %s", "経過 %s"},
	"progress.by":          {"started by <@%s>", "開始: <@%s>"},
	"progress.done":        {":white_check_mark: Done in %s. The report is below.", ":white_check_mark: %s で完了しました。レポートは下にあります。"},
	"progress.evidence":    {":white_check_mark: Evidence ready in %s (no analysis: see below).", ":white_check_mark: %s で証拠をまとめました（分析なし。下をご覧ください）。"},
	"progress.failed":      {":x: The investigation failed after %s: %s", ":x: %s 後に調査が失敗しました: %s"},
	"progress.cancelled":   {":no_entry_sign: Cancelled by <@%s> after %s.", ":no_entry_sign: <@%s> さんが %s 後に中止しました。"},
	"progress.interrupted": {":warning: Interrupted after %s: fa2 was shut down. Mention me in this thread or run `/fa2` to start again.", ":warning: %s 後に中断しました（fa2 が停止しました）。このスレッドでメンションするか `/fa2` で再開してください。"},
	"progress.timeout":     {":hourglass: Stopped after %s, the limit set by `slack.timeout`. Mention me in this thread to try again.", ":hourglass: `slack.timeout` の上限により %s で停止しました。このスレッドでメンションすると再実行します。"},
	"progress.cancel":      {"Cancel", "中止"},
	"progress.not_running": {"This investigation is no longer running.", "この調査はすでに実行中ではありません。"},

	// The evidence bundle.
	"bundle.header":   {":bookmark_tabs: Evidence for *%s*", ":bookmark_tabs: *%s* の証拠"},
	"bundle.window":   {"Window: %s – %s", "期間: %s – %s"},
	"bundle.onset":    {"Onset: %s (%s)", "発生: %s（%s）"},
	"bundle.noonset":  {"No signal departed from its baseline.", "ベースラインから外れたシグナルはありません。"},
	"bundle.suspects": {"*Suspect changes*", "*疑わしい変更*"},
	"bundle.evidence": {"*Top evidence*", "*主な証拠*"},
	"bundle.gaps":     {"*Could not read*", "*読めなかったソース*"},
	"bundle.file":     {"The full evidence bundle (Markdown, citable ids E1…).", "証拠の全文（Markdown、引用 ID E1…）。"},
	"bundle.suspect":  {"`%s` by %s at %s (%s)", "`%s`（%s、%s、%s）"},
	"report.suspect":  {"`%s` by %s (%s)", "`%s`（%s、%s）"},
	"likely":          {"likely", "可能性高"},
	"possible":        {"possible", "可能性あり"},
	"unlikely":        {"unlikely", "可能性低"},
	"bundle.none":     {"nothing found", "見つかりませんでした"},
	"analysis.failed": {":warning: The analysis failed: %s The evidence above stands; mention me in this thread to try again.", ":warning: 分析に失敗しました: %s 上の証拠は有効です。このスレッドでメンションすると再実行します。"},
	"no_model":        {"Analysis is not enabled, so this is the evidence alone. To get a root cause, set `bedrock.model_id` (env FA2_BEDROCK_MODEL_ID) to a Bedrock model this role can invoke, then restart `fa2 slack`.", "分析が有効ではないため、証拠のみを投稿しました。根本原因を得るには `bedrock.model_id`（環境変数 FA2_BEDROCK_MODEL_ID）に呼び出せる Bedrock モデルを設定し、`fa2 slack` を再起動してください。"},

	// The report.
	"report.header":     {":memo: Root-cause analysis: *%s*", ":memo: 根本原因分析: *%s*"},
	"report.rootcause":  {"*Root cause* (%s confidence)", "*根本原因*（確信度: %s）"},
	"report.actions":    {"*Top actions*", "*主な対応*"},
	"report.suspects":   {"*Suspects*", "*容疑*"},
	"report.file":       {"The full report, with every claim cited.", "すべての主張に引用を付けたレポート全文。"},
	"report.followup":   {"Ask me anything about it: mention <@%s> in this thread.", "質問はこのスレッドで <@%s> をメンションしてください。"},
	"report.unverified": {":warning: %d citation(s) match no evidence; they are marked in the file.", ":warning: 証拠に一致しない引用が %d 件あります（ファイル内に印を付けています）。"},
	"conf.high":         {"high", "高"},
	"conf.medium":       {"medium", "中"},
	"conf.low":          {"low", "低"},

	// A degraded report: the model failed, the engine answered.
	"report.header.degraded": {":warning: Evidence-based answer, the model failed: *%s*", ":warning: 証拠に基づく回答（モデルは失敗）: *%s*"},
	"progress.degraded":      {":warning: Done in %s, without the model: it failed, so the report below is fa2's evidence-based answer.", ":warning: %s で完了しましたが、モデルが失敗したため、下のレポートは fa2 の証拠に基づく回答です。"},

	// Alarms.
	"alarm.running":   {"*%s* is already being investigated in <%s|this thread>; no second investigation was started.", "*%s* は <%s|こちらのスレッド> で調査中のため、新しい調査は開始しませんでした。"},
	"alarm.recovered": {":white_check_mark: *%s* recovered at %s.", ":white_check_mark: *%s* は %s に回復しました。"},

	// Refusals.
	"refuse.user":    {"Sorry, only the people listed in fa2's `slack.allowed_users` can start investigations. Ask your fa2 administrator to add you.", "申し訳ありません。調査を開始できるのは fa2 の `slack.allowed_users` に登録された方だけです。管理者に追加を依頼してください。"},
	"refuse.channel": {"Sorry, fa2 does not work in this channel (`slack.allowed_channels`). Ask your fa2 administrator, or use an allowed channel.", "申し訳ありません。fa2 はこのチャンネルでは使えません（`slack.allowed_channels`）。管理者に相談するか、許可されたチャンネルで使ってください。"},
	"refuse.rate":    {"Sorry, this channel has started %d investigations in the last hour, its limit (`slack.rate_per_hour`). The next one can start in %s.", "申し訳ありません。このチャンネルは直近 1 時間に %d 件の調査を開始し、上限（`slack.rate_per_hour`）に達しました。次は %s 後に開始できます。"},
	"refuse.busy":    {"Sorry, fa2 is busy: %d investigations are running and %d are waiting, the most it queues. Try again in a few minutes.", "申し訳ありません。fa2 は混雑しています（実行中 %d 件、待機中 %d 件で上限です）。数分後にもう一度お試しください。"},

	// Follow-ups and mentions.
	"followup.nosession": {"I answer questions in the thread of an fa2 investigation. Start one with `/fa2`, or see `/fa2 help`.", "fa2 の調査スレッドで質問にお答えします。`/fa2` で調査を始めるか、`/fa2 help` をご覧ください。"},
	"followup.running":   {"The investigation is still running; ask again when the report is posted.", "調査はまだ実行中です。レポートが投稿されてからもう一度質問してください。"},
	"followup.nomodel":   {"Follow-up questions need analysis: set `bedrock.model_id` and restart `fa2 slack`. The evidence above is complete as posted.", "追加の質問には分析が必要です。`bedrock.model_id` を設定して `fa2 slack` を再起動してください。上の証拠はそのまま有効です。"},
	"followup.failed":    {":x: I could not answer: %s", ":x: 回答できませんでした: %s"},

	// The slash command.
	"cmd.working":        {"Working on it… the answer will appear here.", "処理中です… 回答はここに表示されます。"},
	"cmd.unknown":        {"I don't know `%s`. %s", "`%s` は分かりません。%s"},
	"cmd.insight":        {":bar_chart: *%s* (last %d days)", ":bar_chart: *%s*（直近 %d 日）"},
	"cmd.findings":       {":shield: *Security findings*", ":shield: *セキュリティ検出結果*"},
	"cmd.failed":         {":x: %s", ":x: %s"},
	"cmd.findings.files": {"_The full report follows in this channel as a file._", "_完全なレポートをこのチャンネルにファイルで共有します。_"},
	"cmd.truncated":      {"_(cut to fit a Slack message; run `fa2 run` for the rest)_", "_（Slack のメッセージに収まるよう省略しました。全文は `fa2 run` で）_"},
	"cmd.help": {"*fa2* investigates AWS incidents.\n• `/fa2` — open the investigation form\n• `/fa2 insight <question> [days]` — answer a metrics question (default 7 days)\n• `/fa2 findings` — Security Hub and GuardDuty findings\n• `/fa2 help` — this message\nAlarm notifications from AWS Chatbot / Amazon Q Developer start a form or an investigation in their thread; mention me in that thread to ask follow-up questions.",
		"*fa2* は AWS のインシデントを調査します。\n• `/fa2` — 調査フォームを開く\n• `/fa2 insight <質問> [日数]` — メトリクスに関する質問に答える（既定 7 日）\n• `/fa2 findings` — Security Hub と GuardDuty の検出結果\n• `/fa2 help` — このメッセージ\nAWS Chatbot / Amazon Q Developer のアラーム通知のスレッドでフォームまたは調査が始まります。そのスレッドでメンションすると追加の質問ができます。"},
}

// tr formats the text key in lang ("en" or "ja").
func tr(lang, key string, args ...any) string {
	t, ok := texts[key]
	if !ok {
		return key
	}
	s := t[0]
	if lang == "ja" {
		s = t[1]
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// slackTime renders t so each reader sees it in their own time zone; the
// fallback (notifications, old clients) is UTC.
func slackTime(t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	return fmt.Sprintf("<!date^%d^{date_short_pretty} {time_secs}|%s>", t.Unix(), t.UTC().Format("2006-01-02 15:04:05 UTC"))
}

// elapsed renders a duration to the second: "42s", "3m05s", "1h02m".
func elapsed(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

package investigate

import (
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

func TestChangeClasses(t *testing.T) {
	cases := []struct {
		ev   telemetry.CloudTrailEvent
		want string // "" when the table must not know it
	}{
		{telemetry.CloudTrailEvent{Name: "PutFunctionConcurrency20171031", Source: "lambda.amazonaws.com"}, "capacity"},
		{telemetry.CloudTrailEvent{Name: "UpdateFunctionConfiguration20150331v2", Source: "lambda.amazonaws.com", Request: []string{"functionName=resize", "memorySize=512"}}, "deploy or configuration"},
		{telemetry.CloudTrailEvent{Name: "UpdateFunctionConfiguration20150331v2", Source: "lambda.amazonaws.com", Request: []string{"functionName=resize", "loggingConfig.applicationLogLevel=DEBUG"}}, "logging setting"},
		{telemetry.CloudTrailEvent{Name: "UpdateAlias20150331", Source: "lambda.amazonaws.com"}, "deploy or configuration"},
		{telemetry.CloudTrailEvent{Name: "UpdateAlias", Source: "kms.amazonaws.com"}, "encryption key"},
		{telemetry.CloudTrailEvent{Name: "TagResource20170331v2", Source: "lambda.amazonaws.com"}, "bookkeeping"},
		{telemetry.CloudTrailEvent{Name: "UpdateTimeToLive", Source: "dynamodb.amazonaws.com"}, "bookkeeping"},
		{telemetry.CloudTrailEvent{Name: "UpdateTable", Source: "dynamodb.amazonaws.com", Request: []string{"billingMode=PROVISIONED"}}, "capacity"},
		{telemetry.CloudTrailEvent{Name: "PutParameter", Request: []string{"name=/orders/prod/log_level", "overwrite=true", "type=String"}}, "logging setting"},
		{telemetry.CloudTrailEvent{Name: "PutParameter", Request: []string{"name=/orders/prod/db_host", "overwrite=true"}}, "endpoint setting"},
		{telemetry.CloudTrailEvent{Name: "PutParameter", Request: []string{"name=/prod/pricing-api/INVENTORY_BASE_URL", "value=HIDDEN_DUE_TO_SECURITY_REASONS"}}, "endpoint setting"},
		{telemetry.CloudTrailEvent{Name: "PutParameter", Request: []string{"name=/orders/prod/pool_size", "overwrite=true"}}, "deploy or configuration"},
		{telemetry.CloudTrailEvent{Name: "ModifyLoadBalancerAttributes", Request: []string{"attributes[0].key=idle_timeout.timeout_seconds", "attributes[0].value=120"}}, "load balancer tuning"},
		{telemetry.CloudTrailEvent{Name: "ModifyLoadBalancerAttributes", Request: []string{"attributes[0].key=routing.http.drop_invalid_header_fields.enabled", "attributes[0].value=true"}}, "routing"},
		{telemetry.CloudTrailEvent{Name: "DecreaseStreamRetentionPeriod", Request: []string{"streamName=clicks", "retentionPeriodHours=24"}}, "bookkeeping"},
		{telemetry.CloudTrailEvent{Name: "UpdateService", Request: []string{"cluster=prod", "service=web", "desiredCount=0"}}, "capacity"},
		{telemetry.CloudTrailEvent{Name: "UpdateService", Request: []string{"service=web", "taskDefinition=web:7"}}, "deploy or configuration"},
		{telemetry.CloudTrailEvent{Name: "SetQueueAttributes", Request: []string{"attributes.Policy={...}"}}, "permissions"},
		{telemetry.CloudTrailEvent{Name: "SetQueueAttributes", Request: []string{"attributes.VisibilityTimeout=10"}}, "queue tuning"},
		{telemetry.CloudTrailEvent{Name: "ModifyDBInstance", Request: []string{"dBInstanceIdentifier=db", "masterUserPassword=****"}}, "credentials"},
		{telemetry.CloudTrailEvent{Name: "ModifyDBInstance", Request: []string{"dBInstanceIdentifier=db", "dBInstanceClass=db.t3.small"}}, "capacity"},
		{telemetry.CloudTrailEvent{Name: "ModifyDBInstance", Request: []string{"dBInstanceIdentifier=db-replica-1", "applyImmediately=true", "preferredBackupWindow=16:00-16:30", "response.dBInstanceClass=db.r6g.xlarge"}}, "bookkeeping"},
		{telemetry.CloudTrailEvent{Name: "ModifyReplicationGroup", Request: []string{"replicationGroupId=orders-cache", "applyImmediately=true", "snapshotWindow=02:30-03:30"}}, "bookkeeping"},
		{telemetry.CloudTrailEvent{Name: "ModifyReplicationGroup", Request: []string{"replicationGroupId=orders-cache", "cacheNodeType=cache.t4g.small"}}, "capacity"},
		{telemetry.CloudTrailEvent{Name: "ModifyDBInstance", Request: []string{"dBInstanceIdentifier=db", "applyImmediately=true"}}, "deploy or configuration"},
		{telemetry.CloudTrailEvent{Name: "RevokeSecurityGroupIngress"}, "network"},
		{telemetry.CloudTrailEvent{Name: "ModifyVpcEndpoint", Request: []string{"vpcEndpointId=vpce-1", "policyDocument={...}"}}, "permissions"},
		{telemetry.CloudTrailEvent{Name: "ModifyVpcEndpoint", Request: []string{"vpcEndpointId=vpce-1", "addSecurityGroupIds=sg-1"}}, "network"},
		{telemetry.CloudTrailEvent{Name: "AttachRolePolicy"}, "permission grant"},
		{telemetry.CloudTrailEvent{Name: "ChangeResourceRecordSets"}, "name resolution"},
		{telemetry.CloudTrailEvent{Name: "DetachRolePolicy"}, "permissions"},
		{telemetry.CloudTrailEvent{Name: "RotateSecret"}, "credentials"},
		{telemetry.CloudTrailEvent{Name: "ModifyTargetGroup"}, "routing"},
		{telemetry.CloudTrailEvent{Name: "DescribeInstances"}, ""},
	}
	for _, c := range cases {
		got := ""
		if cl := classOf(c.ev); cl != nil {
			got = cl.name
		}
		if got != c.want {
			t.Errorf("%s %v: class %q, want %q", c.ev.Name, c.ev.Request, got, c.want)
		}
	}
}

func TestSignatures(t *testing.T) {
	cases := map[string]string{
		"ProvisionedThroughputExceededException: The level of configured provisioned throughput for the table was exceeded": sigThrottling,
		`(1045, "Access denied for user 'reporting_app'@'10.0.0.1' (using password: YES)")`:                                 sigAuthentication,
		"AccessDeniedException: not authorized to perform: dynamodb:UpdateItem":                                             sigAuthorization,
		"java.net.SocketTimeoutException: Connect timed out":                                                                sigNetwork,
		`dial tcp: lookup payments-db.corp.internal: no such host`:                                                          sigDNS,
		"KeyError: 'PAYMENTS_API_URL'":                                                                                      sigCrash,
		"Runtime exited with error: signal: killed":                                                                         sigExhaustion,
	}
	for text, want := range cases {
		if got := signaturesOf(text); !contains(got, want) {
			t.Errorf("%q shows %v, want %s among them", text, got, want)
		}
	}
	if got := signaturesOf(`(1045, "Access denied for user 'x'")`); contains(got, sigAuthorization) {
		t.Errorf("a failed login reads as a permission denial: %v", got)
	}
}

func TestMechanismFit(t *testing.T) {
	throttled := map[string]bool{sigThrottling: true}
	timeouts := map[string]bool{sigNetwork: true, sigLatency: true}
	cases := []struct {
		ev   telemetry.CloudTrailEvent
		seen map[string]bool
		want fit
	}{
		{telemetry.CloudTrailEvent{Name: "UpdateTable", Request: []string{"billingMode=PROVISIONED"}}, throttled, fitMatch},
		{telemetry.CloudTrailEvent{Name: "UpdateTimeToLive"}, throttled, fitMismatch},
		{telemetry.CloudTrailEvent{Name: "RevokeSecurityGroupIngress"}, timeouts, fitMatch},
		// Adding a security-group rule opens a path: it cannot time out.
		{telemetry.CloudTrailEvent{Name: "AuthorizeSecurityGroupIngress"}, timeouts, fitPlausible},
		{telemetry.CloudTrailEvent{Name: "RotateSecret"}, map[string]bool{sigAuthorization: true}, fitMismatch},
		{telemetry.CloudTrailEvent{Name: "PutParameter", Request: []string{"name=/pay/prod/log_level"}}, timeouts, fitMismatch},
		{telemetry.CloudTrailEvent{Name: "PutRolePolicy"}, timeouts, fitMismatch},
		{telemetry.CloudTrailEvent{Name: "RotateSecret"}, map[string]bool{sigAuthentication: true}, fitMatch},
		// A deploy can break anything: never a mismatch.
		{telemetry.CloudTrailEvent{Name: "UpdateFunctionCode20150331v2"}, timeouts, fitPlausible},
		// Nothing seen, or a call the table does not know: no judgement;
		// bookkeeping breaks nothing whatever failed.
		{telemetry.CloudTrailEvent{Name: "UpdateFunctionCode"}, map[string]bool{}, fitUnknown},
		{telemetry.CloudTrailEvent{Name: "UpdateTimeToLive"}, map[string]bool{}, fitMismatch},
		{telemetry.CloudTrailEvent{Name: "CreateInvalidation2020_05_31"}, map[string]bool{}, fitMismatch},
		{telemetry.CloudTrailEvent{Name: "FrobnicateWidget"}, throttled, fitUnknown},
	}
	for _, c := range cases {
		if got, _, _ := mechanismFit(c.ev, c.seen); got != c.want {
			t.Errorf("%s %v against %v: fit %d, want %d", c.ev.Name, c.ev.Request, c.seen, got, c.want)
		}
	}
}

// A change whose mechanism cannot cause the failure is not likely, however
// well timed and however closely it touches the failing resource.
func TestMismatchIsNeverLikely(t *testing.T) {
	onset := time.Date(2026, 7, 1, 4, 0, 0, 0, time.UTC)
	sc := &scope{window: telemetry.Window{Start: onset.Add(-20 * time.Minute), End: onset.Add(20 * time.Minute)}}
	im := newImplicated()
	it := &item{source: srcLogs}
	im.addName("orders-table", it, 1, "a new or risen error template")
	changes := []telemetry.CloudTrailEvent{
		{Name: "UpdateTimeToLive", Time: onset.Add(-4 * time.Minute), Principal: "apply", Request: []string{"tableName=orders-table"}},
		{Name: "UpdateTable", Time: onset.Add(-3 * time.Minute), Principal: "apply", Request: []string{"tableName=orders-table", "billingMode=PROVISIONED"}},
	}
	ss := scoreSuspects(changes, im, nil, map[string]bool{sigThrottling: true}, &onset, sc)
	if ss[0].ev.Name != "UpdateTable" || ss[0].likely != Likely {
		t.Fatalf("top suspect %s %s, want UpdateTable likely", ss[0].ev.Name, ss[0].likely)
	}
	if ss[1].likely == Likely || !strings.Contains(ss[1].why(&onset), "cannot cause what failed") {
		t.Errorf("UpdateTimeToLive is %s: %s", ss[1].likely, ss[1].why(&onset))
	}
	if !strings.Contains(ss[0].why(&onset), "a capacity change matches the throttling") {
		t.Errorf("the why does not say the mechanism: %s", ss[0].why(&onset))
	}
}

// The rollout ranks above what it rolls out: a task definition changes
// nothing until UpdateService puts it into effect.
func TestRolloutRanksAbovePreparation(t *testing.T) {
	onset := time.Date(2026, 7, 1, 4, 0, 0, 0, time.UTC)
	sc := &scope{window: telemetry.Window{Start: onset.Add(-20 * time.Minute), End: onset.Add(20 * time.Minute)}}
	im := newImplicated()
	it := &item{source: srcLogs}
	im.addName("checkout-web", it, 1, "a new or risen error template")
	im.addName("payments_url", it, 1, "a new or risen error template")
	reg := telemetry.CloudTrailEvent{Name: "RegisterTaskDefinition", Time: onset.Add(-40 * time.Second), Principal: "ci",
		Request: []string{"family=checkout-web", "containerDefinitions[0].environment[0].name=PAYMENTS_URL"}, Response: []string{"taskDefinition.taskDefinitionArn=arn:aws:ecs:us-east-1:1:task-definition/checkout-web:143"}}
	upd := telemetry.CloudTrailEvent{Name: "UpdateService", Time: onset.Add(-30 * time.Second), Principal: "ci",
		Request: []string{"service=checkout-web", "taskDefinition=checkout-web:143"}}
	// A scaling call on the same service afterwards rolls nothing out.
	scale := telemetry.CloudTrailEvent{Name: "UpdateService", Time: onset.Add(4 * time.Minute), Principal: "arn:aws:sts::1:assumed-role/AWSServiceRoleForApplicationAutoScaling_ECSService/x",
		PrincipalType: "AWSService", Request: []string{"service=checkout-web", "desiredCount=6"}}
	for _, order := range [][]telemetry.CloudTrailEvent{{reg, upd, scale}, {scale, upd, reg}} {
		ss := scoreSuspects(order, im, nil, map[string]bool{sigCrash: true}, &onset, sc)
		if ss[0].ev.Name != "UpdateService" || ss[0].likely != Likely || !ss[0].ev.Time.Equal(upd.Time) {
			t.Fatalf("top suspect %s at %s (%s), want the UpdateService rollout, likely", ss[0].ev.Name, ss[0].ev.Time, ss[0].likely)
		}
		why := ss[0].why(&onset)
		if !strings.Contains(why, "rolls out the RegisterTaskDefinition") || !strings.Contains(why, "payments_url") {
			t.Errorf("the rollout's why does not name what it rolls out: %s", why)
		}
		for _, s := range ss[1:] {
			if s.ev.Name == "RegisterTaskDefinition" {
				if s.likely == Likely || s.score > ss[0].score || !strings.Contains(s.why(&onset), "staged only") {
					t.Errorf("the preparation is %s %.2f: %s", s.likely, s.score, s.why(&onset))
				}
			}
			if s.ev.Name == "UpdateService" && s.rollsOut != nil {
				t.Errorf("the scaling call at %s counts as the rollout", s.ev.Time)
			}
		}
	}
}

// A preparation never rolled out keeps its own standing: the rollout may
// be missing from the trail.
func TestPreparationAloneKeepsItsStanding(t *testing.T) {
	onset := time.Date(2026, 7, 1, 4, 0, 0, 0, time.UTC)
	sc := &scope{window: telemetry.Window{Start: onset.Add(-20 * time.Minute), End: onset.Add(20 * time.Minute)}}
	im := newImplicated()
	im.addName("checkout-web", &item{source: srcLogs}, 1, "a new or risen error template")
	reg := telemetry.CloudTrailEvent{Name: "RegisterTaskDefinition", Time: onset.Add(-40 * time.Second), Principal: "ci", Request: []string{"family=checkout-web"}}
	ss := scoreSuspects([]telemetry.CloudTrailEvent{reg}, im, nil, map[string]bool{sigCrash: true}, &onset, sc)
	if ss[0].likely != Likely || ss[0].rolledOutBy != nil {
		t.Errorf("a lone task definition is %s (rolled out by %v)", ss[0].likely, ss[0].rolledOutBy)
	}
}

// A credential is tied to a failed login by a distinctive word of its
// name; a secret for something else is not.
func TestCredentialLinksByWords(t *testing.T) {
	im := newImplicated()
	it := &item{source: srcLogs}
	im.add(`Access denied for user 'reporting_app'@'10.1.2.3'`, it, 1, "a new or risen error template")
	if l := im.linkByWords(changeTokens(telemetry.CloudTrailEvent{Name: "RotateSecret", Request: []string{"secretId=prod/reporting/mysql"}}), nil); len(l) == 0 {
		t.Error("prod/reporting/mysql is not tied to the reporting_app login")
	}
	if l := im.linkByWords(changeTokens(telemetry.CloudTrailEvent{Name: "RotateSecret", Request: []string{"secretId=prod/analytics/mysql"}}), nil); len(l) != 0 {
		t.Errorf("prod/analytics/mysql is tied to the reporting_app login: %+v", l)
	}
}

// TestTimingRules holds the three rules of timing: a plausible-only
// change is likely only right before the onset; a likely change right
// before the onset makes an old likely one possible; with no likely
// change, the one typical match right before the onset is likely, and two
// such changes leave both possible.
func TestTimingRules(t *testing.T) {
	onset := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	at := func(before time.Duration) telemetry.CloudTrailEvent {
		return telemetry.CloudTrailEvent{Name: "X", Time: onset.Add(-before)}
	}
	linked := []link{{token: "orders"}}
	plausibleOld := suspect{ev: at(40 * time.Minute), likely: Likely, mech: fitPlausible, links: linked, potency: 1, matched: sigThrottling}
	plausibleNear := suspect{ev: at(5 * time.Minute), likely: Likely, mech: fitPlausible, links: linked, potency: 1, matched: sigThrottling}
	ss := []suspect{plausibleOld, plausibleNear}
	timingRules(ss, &onset)
	if ss[0].likely != Possible || !strings.Contains(ss[0].note, "does not typically cause throttling") {
		t.Errorf("a plausible change 40 min before: %s (%s), want possible", ss[0].likely, ss[0].note)
	}
	if ss[1].likely != Likely {
		t.Errorf("a plausible change 5 min before: %s, want likely", ss[1].likely)
	}

	old := suspect{ev: at(40 * time.Minute), likely: Likely, mech: fitMatch, links: linked, potency: 1}
	near := suspect{ev: at(30 * time.Second), likely: Likely, mech: fitMatch, links: linked, potency: 1, raw: 1}
	ss = []suspect{old, near}
	timingRules(ss, &onset)
	if ss[0].likely != Possible || ss[1].likely != Likely || !strings.Contains(ss[0].note, "the X came 30s before the onset") {
		t.Errorf("old %s (%s), near %s: want the nearer one alone likely", ss[0].likely, ss[0].note, ss[1].likely)
	}

	kindOnly := func(before time.Duration) suspect {
		return suspect{ev: at(before), likely: Possible, mech: fitMatch, potency: 1, matched: sigNetwork}
	}
	ss = []suspect{kindOnly(28 * time.Second), kindOnly(50 * time.Minute)}
	timingRules(ss, &onset)
	if ss[0].likely != Likely || !strings.Contains(ss[0].note, "no other change of that kind") || ss[1].likely != Possible {
		t.Errorf("one typical match right before the onset: %s (%s), the old one %s", ss[0].likely, ss[0].note, ss[1].likely)
	}
	ss = []suspect{kindOnly(28 * time.Second), kindOnly(3 * time.Minute)}
	timingRules(ss, &onset)
	if ss[0].likely != Possible || ss[1].likely != Possible {
		t.Errorf("two typical matches right before the onset: %s, %s; want neither likely", ss[0].likely, ss[1].likely)
	}
}

// TestKeyARNsLinkChanges: an ARN whose account and key id hold more digits
// than letters (a KMS key's) is still a name that links a change to the
// AccessDenied message naming it.
func TestKeyARNsLinkChanges(t *testing.T) {
	arn := "arn:aws:kms:eu-west-1:604381927735:key/2f7c1a90-6b3e-4d58-a1c9-7e0f4b2d8a63"
	ids := identifiers("not authorized to perform: kms:Decrypt on resource: " + arn + " because no resource-based policy allows it")
	found := false
	for _, id := range ids {
		found = found || id == arn
	}
	if !found {
		t.Errorf("identifiers = %q, want the key's ARN", ids)
	}
}

// TestDelayedEffectChangesKeepTheirStanding: a lifecycle rule put hours
// before the failures is read from further back and its age is not held
// against it; an ordinary change of the same age is.
func TestDelayedEffectChangesKeepTheirStanding(t *testing.T) {
	onset := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	sc := &scope{window: telemetry.Window{Start: onset.Add(-30 * time.Minute), End: onset.Add(30 * time.Minute)}}
	lifecycle := telemetry.CloudTrailEvent{Name: "PutBucketLifecycle", Source: "s3.amazonaws.com", Time: onset.Add(-4 * time.Hour), Resources: []string{"arn:aws:s3:::acme-reports"}}
	policy := telemetry.CloudTrailEvent{Name: "PutBucketPolicy", Source: "s3.amazonaws.com", Time: onset.Add(-4 * time.Hour), Resources: []string{"arn:aws:s3:::acme-reports"}}
	if !delayedEffect(lifecycle) || delayedEffect(policy) {
		t.Fatalf("delayedEffect: lifecycle %v, policy %v", delayedEffect(lifecycle), delayedEffect(policy))
	}
	seen := map[string]bool{sigNotFound: true}
	ss := scoreSuspects([]telemetry.CloudTrailEvent{lifecycle, policy}, newImplicated(), nil, seen, &onset, sc)
	var lt, pt float64
	for _, s := range ss {
		switch s.ev.Name {
		case "PutBucketLifecycle":
			lt = s.timeScore
		case "PutBucketPolicy":
			pt = s.timeScore
		}
	}
	if lt < 0.8 || pt >= lt {
		t.Errorf("time scores: lifecycle %.2f, policy %.2f; want the lifecycle rule's age not to count", lt, pt)
	}
}

// TestRejectedKeysPointAtKeyRemoval: AWS rejecting an access key is what
// switching it off does, not what creating a new one or storing a secret
// does; and a dotted host name in a change (a Route 53 record, with its
// final dot) links it to the failures that name the host.
func TestRejectedKeysPointAtKeyRemoval(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range signaturesOf("An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.") {
		seen[s] = true
	}
	if !seen[sigAWSKey] || seen[sigAuthentication] {
		t.Fatalf("signatures %v, want rejected AWS keys only", seen)
	}
	for _, c := range []struct {
		ev   telemetry.CloudTrailEvent
		want fit
	}{
		{telemetry.CloudTrailEvent{Name: "UpdateAccessKey", Request: []string{"userName=exporter", "accessKeyId=AKIA…", "status=Inactive"}}, fitMatch},
		{telemetry.CloudTrailEvent{Name: "DeleteAccessKey", Request: []string{"userName=exporter"}}, fitMatch},
		{telemetry.CloudTrailEvent{Name: "CreateAccessKey", Request: []string{"userName=exporter"}}, fitPlausible},
		{telemetry.CloudTrailEvent{Name: "PutSecretValue", Request: []string{"secretId=exporter/keys"}}, fitPlausible},
		{telemetry.CloudTrailEvent{Name: "UpdateAccessKey", Request: []string{"userName=exporter", "status=Active"}}, fitPlausible},
	} {
		if got, _, _ := mechanismFit(c.ev, seen); got != c.want {
			t.Errorf("%s %v: fit %d, want %d", c.ev.Name, c.ev.Request, got, c.want)
		}
	}
	ids := identifiers("changeBatch.changes[0].resourceRecordSet.name=api.paygate.example.com. weight=0")
	found := false
	for _, id := range ids {
		found = found || id == "api.paygate.example.com"
	}
	if !found || hostName("com.acme.orders") || hostName("org.springframework.boot") {
		t.Errorf("identifiers = %q; host names: com.acme.orders %v, org.springframework.boot %v", ids, hostName("com.acme.orders"), hostName("org.springframework.boot"))
	}
}

// Of two edits of one web ACL, the one whose request names the rule the
// blocked requests name is likely; the earlier edit, which the later one
// repeats, is possible. Calls of different APIs are left alone: a
// configuration update lists every environment variable, named or not.
func TestPreferSpecificRequests(t *testing.T) {
	strong := func(tokens ...string) []link {
		var ls []link
		for _, tok := range tokens {
			ls = append(ls, link{token: tok, exact: true, via: []implication{{name: tok, weight: 1}}})
		}
		return ls
	}
	at := time.Date(2026, 11, 24, 16, 1, 33, 0, time.UTC)
	earlier := suspect{ev: telemetry.CloudTrailEvent{Name: "UpdateWebACL", Time: at.Add(-20 * time.Minute)}, likely: Likely, links: strong("storefront-web-acl", "login-rate-count")}
	later := suspect{ev: telemetry.CloudTrailEvent{Name: "UpdateWebACL", Time: at}, likely: Likely, links: strong("storefront-web-acl", "login-rate-count", "api-rate-limit")}
	ss := []suspect{earlier, later}
	preferSpecificRequests(ss)
	if ss[0].likely != Possible || !strings.Contains(ss[0].note, "also names api-rate-limit") || ss[1].likely != Likely {
		t.Errorf("earlier %s (%s), later %s; want only the later likely", ss[0].likely, ss[0].note, ss[1].likely)
	}

	code := suspect{ev: telemetry.CloudTrailEvent{Name: "UpdateFunctionCode", Time: at}, likely: Likely, links: strong("resize")}
	config := suspect{ev: telemetry.CloudTrailEvent{Name: "UpdateFunctionConfiguration", Time: at}, likely: Likely, links: strong("resize", "images-bucket")}
	ss = []suspect{code, config}
	preferSpecificRequests(ss)
	if ss[0].likely != Likely || ss[1].likely != Likely {
		t.Errorf("different APIs: %s, %s; want both left likely", ss[0].likely, ss[1].likely)
	}

	disjoint := suspect{ev: telemetry.CloudTrailEvent{Name: "UpdateWebACL", Time: at}, likely: Likely, links: strong("partner-acl", "geo-block")}
	ss = []suspect{earlier, disjoint}
	preferSpecificRequests(ss)
	if ss[0].likely != Likely || ss[1].likely != Likely {
		t.Errorf("two ACLs, no shared name: %s, %s; want both left likely", ss[0].likely, ss[1].likely)
	}
}

// A pushed image or registered task definition nothing rolled out yields
// to a change that took effect; alone it keeps its standing.
func TestUnrolledYields(t *testing.T) {
	onset := time.Date(2026, 11, 24, 9, 33, 0, 0, time.UTC)
	sc := &scope{window: telemetry.Window{Start: onset.Add(-30 * time.Minute), End: onset.Add(30 * time.Minute)}}
	im := newImplicated()
	im.addName("pricing-api", &item{source: srcLogs}, 1, "a new or risen error template")
	push := telemetry.CloudTrailEvent{Name: "PutImage", Time: onset.Add(-12 * time.Minute), Principal: "ci", Request: []string{"repositoryName=pricing-api", "imageTag=sha-1"}}
	ss := scoreSuspects([]telemetry.CloudTrailEvent{push}, im, nil, map[string]bool{sigCrash: true}, &onset, sc)
	if ss[0].likely != Possible || !ss[0].unrolled {
		t.Fatalf("a lone image push nothing deployed: %s (unrolled %v), want possible", ss[0].likely, ss[0].unrolled)
	}
	reg := telemetry.CloudTrailEvent{Name: "RegisterTaskDefinition", Time: onset.Add(-10 * time.Minute), Principal: "ci", Request: []string{"family=pricing-api", "containerDefinitions[0].image=1.dkr.ecr.eu-west-1.amazonaws.com/pricing-api:sha-1"}}
	ss = scoreSuspects([]telemetry.CloudTrailEvent{reg}, im, nil, map[string]bool{sigCrash: true}, &onset, sc)
	if ss[0].likely != Likely || !ss[0].unrolled {
		t.Fatalf("a lone task definition (its rollout may be missing from the trail): %s (unrolled %v), want likely", ss[0].likely, ss[0].unrolled)
	}
	param := telemetry.CloudTrailEvent{Name: "PutParameter", Time: onset.Add(-2 * time.Minute), Principal: "alice", Request: []string{"name=/prod/pricing-api/TIMEOUT_MS"}}
	ss = scoreSuspects([]telemetry.CloudTrailEvent{reg, param}, im, nil, map[string]bool{sigCrash: true}, &onset, sc)
	for _, s := range ss {
		want := map[string]string{"RegisterTaskDefinition": Possible, "PutParameter": Likely}[s.ev.Name]
		if s.likely != want {
			t.Errorf("%s is %s (%s), want %s", s.ev.Name, s.likely, s.note, want)
		}
	}
	ss = scoreSuspects([]telemetry.CloudTrailEvent{push, reg}, im, nil, map[string]bool{sigCrash: true}, &onset, sc)
	for _, s := range ss {
		if s.ev.Name == "PutImage" && (s.unrolled || s.rolledOutBy == nil) {
			t.Errorf("the task definition naming the image does not roll it out: %+v", s.rolledOutBy)
		}
	}
}

// A change that acts at once and broke nothing for minutes, while another
// likely change came right before the onset, is possible.
func TestSettledChangesYield(t *testing.T) {
	onset := time.Date(2026, 11, 18, 14, 22, 0, 0, time.UTC)
	routing := classOf(telemetry.CloudTrailEvent{Name: "ModifyRule"})
	deploy := classOf(telemetry.CloudTrailEvent{Name: "UpdateFunctionCode"})
	at := func(name string, before time.Duration, c *changeClass) suspect {
		return suspect{ev: telemetry.CloudTrailEvent{Name: name, Time: onset.Add(-before)}, likely: Likely, mech: fitMatch, class: c, potency: 1, links: []link{{token: "checkout"}}}
	}
	ss := []suspect{at("DeregisterTargets", 11*time.Minute, routing), at("UpdateFunctionCode", 11*time.Minute, deploy), at("ModifyRule", 20*time.Second, routing)}
	ss[2].raw = 1
	timingRules(ss, &onset)
	if ss[0].likely != Possible || ss[1].likely != Likely || ss[2].likely != Likely {
		t.Errorf("routing 11 min before: %s; deploy 11 min before: %s; rule 20 s before: %s; want possible, likely, likely", ss[0].likely, ss[1].likely, ss[2].likely)
	}
	if !strings.Contains(ss[0].note, "a routing change acts at once, yet nothing failed until the ModifyRule came 20s before the onset") {
		t.Errorf("note: %s", ss[0].note)
	}
}

// A read-side scaling policy does not throttle writes; a write-side one,
// or a failure of either side, keeps the change in play.
func TestOtherSide(t *testing.T) {
	read := telemetry.CloudTrailEvent{Name: "PutScalingPolicy", Request: []string{"scalableDimension=dynamodb:table:ReadCapacityUnits", "resourceId=table/orders"}}
	write := telemetry.CloudTrailEvent{Name: "RegisterScalableTarget", Request: []string{"scalableDimension=dynamodb:table:WriteCapacityUnits", "maxCapacity=400"}}
	if !otherSide(read, []string{"WriteThrottleEvents", "ThrottledRequests"}) {
		t.Error("a read policy reads as able to throttle writes")
	}
	if otherSide(write, []string{"WriteThrottleEvents"}) || otherSide(read, []string{"ThrottledRequests"}) || otherSide(read, nil) {
		t.Error("a change on the failing side, or an unsided failure, was ruled out")
	}
}

// CloudFormation's own calls belong to the stack update that made them;
// a new certificate is staged until a listener names it; a scheduled
// action owns the scaling it ran.
func TestStackStepsCertificatesAndSchedules(t *testing.T) {
	onset := time.Date(2026, 5, 5, 19, 0, 30, 0, time.UTC)
	stack := suspect{ev: telemetry.CloudTrailEvent{Name: "UpdateStack", Time: onset.Add(-5 * time.Minute)}, likely: Possible, score: 0.5}
	step := suspect{ev: telemetry.CloudTrailEvent{Name: "UpdateFunctionConfiguration20150331v2", Time: onset.Add(-4 * time.Minute), InvokedBy: "cloudformation.amazonaws.com"}, likely: Likely, score: 0.95, raw: 1}
	ss := []suspect{stack, step}
	stackSteps(ss)
	if ss[0].likely != Likely || ss[1].likely != Possible || !strings.Contains(ss[1].note, "made by CloudFormation for the UpdateStack") {
		t.Errorf("stack %s, step %s (%s); want the stack likely and its step possible", ss[0].likely, ss[1].likely, ss[1].note)
	}

	sc := &scope{window: telemetry.Window{Start: onset.Add(-30 * time.Minute), End: onset.Add(30 * time.Minute)}}
	im := newImplicated()
	im.addName("api.example.com", &item{source: srcLogs}, 1, "a new or risen error template")
	imp := telemetry.CloudTrailEvent{Name: "ImportCertificate", Time: onset.Add(-10 * time.Minute), Principal: "alice", Request: []string{"domainName=api.example.com"}}
	ss = scoreSuspects([]telemetry.CloudTrailEvent{imp}, im, nil, map[string]bool{sigTLS: true}, &onset, sc)
	if ss[0].likely == Likely || !ss[0].unrolled {
		t.Errorf("a certificate imported and attached to nothing is %s (unrolled %v)", ss[0].likely, ss[0].unrolled)
	}

	sched := suspect{ev: telemetry.CloudTrailEvent{Name: "PutScheduledAction", Time: onset.Add(-56 * time.Hour)}, likely: Possible, tokens: []string{"service/retail-prod/storefront-web"}}
	run := suspect{ev: telemetry.CloudTrailEvent{Name: "UpdateService", Time: onset.Add(-30 * time.Second)}, likely: Unlikely, automatic: true, mech: fitMatch, linkScore: 0.64,
		class: classOf(telemetry.CloudTrailEvent{Name: "UpdateService", Request: []string{"desiredCount=0"}}), tokens: []string{"storefront-web"}}
	ss = []suspect{sched, run}
	scheduledRuns(ss, &onset)
	if ss[0].likely != Likely || !strings.Contains(ss[0].note, "its schedule ran as the UpdateService") {
		t.Errorf("the scheduled action is %s (%s), want likely", ss[0].likely, ss[0].note)
	}
}

package investigate

import (
	"regexp"
	"strings"

	"github.com/fa2/fa2/telemetry"
)

// A change can only cause failures of the kinds its mechanism produces: a
// security-group edit times connections out, it does not throttle a
// table; a TTL setting or a log level breaks nothing. This file holds the
// whole table, read by an SRE's rules of thumb: which failure signatures
// the evidence shows, which class each change belongs to, and which
// signatures each class causes typically (a match) or can cause at all.

// Failure signatures, as the evidence says them.
const (
	sigThrottling     = "throttling"
	sigBacklog        = "backlog of waiting work"
	sigUnhealthy      = "unhealthy targets"
	sigAuthorization  = "access denials"
	sigAuthentication = "failed logins"
	sigAWSKey         = "rejected AWS access keys"
	sigKMS            = "encryption key errors"
	sigNetwork        = "connection timeouts or refusals"
	sigDNS            = "name resolution failures"
	sigTLS            = "TLS or certificate errors"
	sigCrash          = "crashes or configuration errors"
	sigExhaustion     = "exhausted memory or resources"
	sigNotFound       = "not-found errors"
	sigLatency        = "slow responses"
	sigContention     = "lock contention"
	sigExpired        = "expired certificates"
	sigStarved        = "work no longer arriving"
)

// signature is a kind of failure and how evidence text shows it.
type signature struct {
	name     string
	evidence *regexp.Regexp
}

// signatures are matched against the new failure evidence: new trace
// failures, new or risen error templates, risen failure metrics' names.
// A text may show several ("connect timed out" after "AccessDenied").
var signatures = []signature{
	{sigThrottling, regexp.MustCompile(`(?i)throttl|TooManyRequests|rate exceeded|ProvisionedThroughputExceeded|RequestLimitExceeded|SlowDown|ConcurrentInvocationLimitExceeded|ReservedFunctionConcurrentInvocationLimitExceeded|\b429\b|limit exceeded`)},
	{sigBacklog, regexp.MustCompile(`(?i)AgeOfOldestMessage|NumberOfMessagesVisible|IteratorAge|backlog|Pending(Orders|Tasks|Jobs|Messages|Requests|Items)?\b|queue (depth|full)|consumer lag|OffsetLag`)},
	{sigUnhealthy, regexp.MustCompile(`(?i)UnHealthyHost|no healthy|unhealthy|InsufficientCapacity|pool exhausted|\b50[23]\b|Service Unavailable|Bad Gateway`)},
	{sigAuthorization, regexp.MustCompile(`(?i)AccessDenied|not authorized to perform|UnauthorizedOperation|\bforbidden\b|\b403\b|explicit deny|is not authorized|BlockedRequests|"action":"BLOCK"|AccessControlListNotSupported|does not allow ACLs`)},
	{sigAuthentication, regexp.MustCompile(`(?i)password authentication failed|access denied for user|authentication failed|invalid (password|credentials)|SignatureDoesNotMatch|InvalidSignature|ExpiredToken|token (has )?expired|login failed|\b401\b|unauthori[sz]ed|WRONGPASS|NOAUTH|invalid_scope|redirect_mismatch|invalid_client|invalid_grant|unauthorized_client`)},
	// An access key AWS no longer accepts: deactivated, deleted, or never
	// valid. A new key or a stored secret does not do that to an old one.
	{sigAWSKey, regexp.MustCompile(`(?i)InvalidClientTokenId|InvalidAccessKeyId|UnrecognizedClient|security token included in the request is invalid|Access Key Id you provided does not exist`)},
	{sigKMS, regexp.MustCompile(`(?i)KMS|DisabledException|KeyUnavailable|key is disabled|pending deletion|InvalidCiphertext|Decrypt`)},
	{sigNetwork, regexp.MustCompile(`(?i)timed? ?out|timeout|ETIMEDOUT|ECONNREFUSED|connection refused|unreachable|no route to host|\sREJECT\s+OK\b|reset by peer|EHOSTUNREACH|could not connect|connect(ion)? (failed|error)|Communications link failure|obtain (JDBC )?Connection|deadline exceeded|\b504\b|Gateway Timeout`)},
	{sigDNS, regexp.MustCompile(`(?i)no such host|NXDOMAIN|name resolution|getaddrinfo|UnknownHost|Name or service not known|EAI_AGAIN|could not resolve|failed to resolve`)},
	{sigTLS, regexp.MustCompile(`(?i)x509|certificate|handshake|SSL|TLS`)},
	// Waiting on another transaction's lock: a long query or a migration,
	// rarely a deploy.
	{sigContention, regexp.MustCompile(`(?i)lock wait timeout|deadlock|could not obtain lock|LockNotAvailable|lock timeout|ER_LOCK_WAIT_TIMEOUT|waiting for (table )?(metadata )?lock`)},
	// A certificate past its date: time did it, not a change (unless the
	// change swapped the certificate).
	{sigExpired, regexp.MustCompile(`(?i)certificate (has )?expired|CERT_HAS_EXPIRED|certificate is expired|expired certificate|x509: certificate has expired`)},
	{sigCrash, regexp.MustCompile(`(?i)TypeError|NullPointer|undefined|panic|segfault|ReferenceError|KeyError|ValueError|AttributeError|ImportError|ModuleNotFound|SyntaxError|ClassNotFound|NoSuchMethod|cannot read|invalid configuration|missing (env|config|required)|failed to (boot|start)|exited with code|Runtime\.ExitError|Worker failed|Invalid endpoint address`)},
	{sigExhaustion, regexp.MustCompile(`(?i)OutOfMemory|out of memory|\bOOM|signal: killed|MemoryError|Cannot allocate memory|heap space|exit code 137|No space left|too many open files|too many connections|connection slots are reserved|CPUCreditBalance`)},
	{sigNotFound, regexp.MustCompile(`(?i)\b404\b|NotFound|NoSuchKey|NoSuchBucket|does not exist|not found|does not have the specified|no such (index|table|column)`)},
	{sigLatency, regexp.MustCompile(`(?i)latency|ResponseTime|Duration|slow`)},
}

// genericFailure is an exception or traceback that names no specific
// failure: it is a crash only when nothing in the evidence says more
// (a SocketTimeoutException is a timeout, not a crash).
var genericFailure = regexp.MustCompile(`(?i)exception|traceback|stack ?trace|\bfatal\b`)

// signaturesOf names the failure signatures a text shows.
func signaturesOf(text string) []string {
	var out []string
	// Phrases that say one thing in words another signature reads
	// otherwise: a lock wait's "timeout" is not the network's, DNS's
	// ENOTFOUND is not a missing object.
	for _, m := range masks {
		if m.re.MatchString(text) {
			text = m.re.ReplaceAllString(text, " "+m.sig+" ")
		}
	}
	for _, s := range signatures {
		if s.evidence.MatchString(text) {
			out = append(out, s.name)
		}
	}
	return out
}

// masks replace phrases by their signature's name before matching.
var masks = []struct {
	re  *regexp.Regexp
	sig string
}{
	{regexp.MustCompile(`(?i)lock wait timeout( exceeded)?|lock timeout`), "LockNotAvailable"},
	{regexp.MustCompile(`(?i)(getaddrinfo )?ENOTFOUND|NXDOMAIN|no such host`), "name resolution"},
}

// everySignature, causes first and consequences (backlog, unhealthy
// targets, slowness) last: the order in which a why names the one a
// change matches. Also what a class that can cause anything lists.
var everySignature = []string{sigExpired, sigAWSKey, sigAuthentication, sigAuthorization, sigKMS, sigDNS, sigNetwork, sigTLS, sigThrottling, sigContention, sigExhaustion, sigCrash, sigNotFound, sigBacklog, sigUnhealthy, sigLatency, sigStarved}

// changeClass is what a kind of change can break.
type changeClass struct {
	name string
	// calls matches CloudTrail event names; a trailing API version (the
	// Lambda's UpdateFunctionConfiguration20150331v2) is stripped first.
	calls *regexp.Regexp
	// when narrows the class by the request (a PutParameter of a log
	// level, an UpdateService that only scales); nil: always.
	when func(ev telemetry.CloudTrailEvent) bool
	// typical signatures are what this change is known to cause: the
	// evidence showing one is a match. also are those it can cause less
	// directly; any other signature is a mismatch.
	typical, also []string
	// immediate: it acts the moment it is made (a route, a firewall rule,
	// a policy, a listener rule), so a failure that began many minutes
	// later, right after another likely change, is not its doing.
	immediate bool
}

// changeClasses, first match wins: narrower rows come before broader.
var changeClasses = []changeClass{
	// Log levels, descriptions and feature toggles of logging: read by the
	// application, but they change what it writes, not what it does.
	{name: "logging setting", calls: regexp.MustCompile(`^(PutParameter|UpdateFunctionConfiguration|UpdateEnvironment)$`),
		when: func(ev telemetry.CloudTrailEvent) bool { return onlyLoggingSetting(ev) }},
	// One configuration value that says where to connect (a base URL, a
	// host, an endpoint): the application reads it, often only at start,
	// and then calls a host that does not resolve or answer.
	{name: "endpoint setting", calls: regexp.MustCompile(`^PutParameter$`),
		when:    func(ev telemetry.CloudTrailEvent) bool { return endpointSetting(ev) },
		typical: []string{sigDNS, sigNetwork, sigTLS, sigNotFound}, also: everySignature},
	// A change of a description or a comment only.
	{name: "bookkeeping", calls: regexp.MustCompile(`^(Update|Modify|Put|Set)\w*$`),
		when: func(ev telemetry.CloudTrailEvent) bool { return onlyDescription(ev) }},
	// Tags, backups, snapshots, TTL, alarms, dashboards, log retention,
	// key-rotation schedules: bookkeeping that rarely breaks anything.
	{name: "bookkeeping", calls: regexp.MustCompile(`^(TagResource|UntagResource|CreateTags|DeleteTags|AddTags\w*|RemoveTags\w*|Tag(Role|User|Policy|Queue|LogGroup|Key|Stream|Certificate)|Untag\w+|(Put|Delete)BucketTagging|UpdateTimeToLive|UpdateContinuousBackups|CreateBackup|StartBackupJob|CreateSnapshots?|CreateDB(Cluster)?Snapshot|Copy(DB)?(Cluster)?Snapshot|ModifyDB(Cluster)?SnapshotAttribute|PutMetricAlarm|PutCompositeAlarm|DeleteAlarms|(Enable|Disable)AlarmActions|SetAlarmState|PutDashboard|DeleteDashboards|(Put|Delete)MetricFilter|(Put|Delete)RetentionPolicy|CreateLogGroup|CreateLogStream|(Put|Delete)SubscriptionFilter|Put(Event|Insight)Selectors|UpdateTrail|(Enable|Disable)KeyRotation|RotateKey(OnDemand)?|UpdateKeyDescription|PutBucketLogging|PutBucketVersioning|UpdateContributorInsights|PutAnomalyDetector|PutMetricData|(Increase|Decrease)StreamRetentionPeriod|CreateInvalidation\w*)$`)},
	// A database or cache modified only in its maintenance and backup
	// settings (windows, retention, tags, monitoring) serves as before.
	{name: "bookkeeping", calls: regexp.MustCompile(`^(ModifyDB(Instance|Cluster)|ModifyReplicationGroup|ModifyCacheCluster|ModifyCluster|UpdateCluster|ModifyGlobalCluster)$`),
		when: func(ev telemetry.CloudTrailEvent) bool { return onlyMaintenanceSettings(ev) }},
	// A load balancer's or target group's tuning (idle timeout, access
	// logs, deletion protection, deregistration delay, stickiness, slow
	// start) changes how requests are served, not whether they reach a
	// target: it can slow or cut long requests, not refuse them all.
	{name: "load balancer tuning", calls: regexp.MustCompile(`^(ModifyLoadBalancerAttributes|ModifyTargetGroupAttributes)$`),
		when: func(ev telemetry.CloudTrailEvent) bool { return onlyTuningAttributes(ev) },
		also: []string{sigLatency, sigNetwork, sigUnhealthy}},
	// Lifecycle rules delete data: readers then find nothing.
	{name: "data lifecycle", calls: regexp.MustCompile(`^(PutBucketLifecycle(Configuration)?|PutLifecycleConfiguration|PutLifecyclePolicy)$`),
		typical: []string{sigNotFound}, also: []string{sigCrash, sigAuthorization}}, // S3 answers 403 for a missing key without ListBucket
	{name: "encryption key", immediate: true, calls: regexp.MustCompile(`^(DisableKey|ScheduleKeyDeletion|DeleteImportedKeyMaterial|ImportKeyMaterial|PutKeyPolicy|CreateGrant|RevokeGrant|RetireGrant|UpdateAlias|DeleteAlias)$`),
		when:    func(ev telemetry.CloudTrailEvent) bool { return strings.HasPrefix(ev.Source, "kms.") },
		typical: []string{sigKMS, sigAuthorization}, also: []string{sigCrash, sigUnhealthy, sigNotFound}},
	// A policy version that is not the default changes no one's
	// permissions; only the default version is in force (and the default
	// cannot be deleted).
	{name: "bookkeeping", calls: regexp.MustCompile(`^(CreatePolicyVersion|DeletePolicyVersion)$`),
		when: func(ev telemetry.CloudTrailEvent) bool {
			return ev.Name == "DeletePolicyVersion" || !requestHas(ev, "setasdefault=true")
		}},
	// A listener's or distribution's certificate: what clients see in the
	// TLS handshake.
	{name: "certificate", calls: regexp.MustCompile(`^(ModifyListener|AddListenerCertificates|RemoveListenerCertificates|SetLoadBalancerListenerSSLCertificate|UpdateDistribution|UpdateDomainName)$`), immediate: true,
		when: func(ev telemetry.CloudTrailEvent) bool {
			return requestHas(ev, "certificate") && !requestHas(ev, "defaultactions", "origins", "cachebehaviors")
		},
		typical: []string{sigTLS, sigExpired}, also: []string{sigUnhealthy, sigNetwork, sigAuthentication, sigNotFound}},
	// Attaching a policy or adding a permission grants more: it denies
	// only when what it attaches holds a Deny, so it is not a typical
	// cause of access denials.
	{name: "permission grant", calls: regexp.MustCompile(`^(Attach(Role|User|Group)Policy|AddPermission|AddRoleToInstanceProfile)$`),
		also: []string{sigAuthorization, sigKMS, sigCrash}},
	{name: "permissions", immediate: true, calls: regexp.MustCompile(`^((Put|Attach|Detach|Delete)(Role|User|Group)Policy|(Create|Delete)PolicyVersion|SetDefaultPolicyVersion|UpdateAssumeRolePolicy|(Put|Delete)(Role|User)PermissionsBoundary|(Put|Delete)Bucket(Policy|Acl)|PutObjectAcl|(Put|Delete)PublicAccessBlock|PutBucketOwnershipControls|AddPermission|RemovePermission|(Put|Delete)ResourcePolicy|(Set|Put|Delete)RepositoryPolicy|(Put|Delete)AccessPointPolicy|RemoveRoleFromInstanceProfile|(Disassociate|Replace)IamInstanceProfileAssociation|UpdateWebACL|(Create|Update|Delete)(Authorizer|UserPool))$`),
		typical: []string{sigAuthorization, sigKMS}, also: []string{sigAuthentication, sigCrash, sigUnhealthy, sigNotFound, sigBacklog}},
	// Queue and topic attributes: a policy there is a permission.
	{name: "permissions", immediate: true, calls: regexp.MustCompile(`^(SetQueueAttributes|SetTopicAttributes)$`),
		when:    func(ev telemetry.CloudTrailEvent) bool { return requestHas(ev, "policy") },
		typical: []string{sigAuthorization}, also: []string{sigBacklog, sigKMS}},
	// A VPC endpoint's policy is a permission, not a network path.
	{name: "permissions", immediate: true, calls: regexp.MustCompile(`^(ModifyVpcEndpoint|CreateVpcEndpoint)$`),
		when:    func(ev telemetry.CloudTrailEvent) bool { return requestHas(ev, "policy") },
		typical: []string{sigAuthorization}, also: []string{sigNetwork, sigCrash}},
	// Switching an access key off or deleting it is what makes AWS reject it.
	{name: "access key removal", immediate: true, calls: regexp.MustCompile(`^(UpdateAccessKey|DeleteAccessKey|DeleteUser|UpdateSigningCertificate)$`),
		when: func(ev telemetry.CloudTrailEvent) bool {
			return ev.Name != "UpdateAccessKey" && ev.Name != "UpdateSigningCertificate" || requestHas(ev, "status=inactive")
		},
		typical: []string{sigAWSKey, sigAuthentication}, also: []string{sigCrash, sigBacklog, sigUnhealthy}},
	// A queue's delivery tuning (visibility timeout, long polling, delay,
	// retention, size): messages are redelivered, wait or expire; they
	// still arrive.
	{name: "queue tuning", calls: regexp.MustCompile(`^SetQueueAttributes$`),
		when: func(ev telemetry.CloudTrailEvent) bool {
			return requestHas(ev, "visibilitytimeout", "receivemessagewaittimeseconds", "delayseconds", "messageretentionperiod", "maximummessagesize") &&
				!requestHas(ev, "policy", "redrive", "kms", "sqsmanagedsse")
		},
		typical: []string{sigBacklog}, also: []string{sigLatency, sigThrottling, sigExhaustion, sigCrash, sigNotFound, sigUnhealthy}},
	// A new subscriber, queue or topic adds a path; it takes nothing away
	// from the others.
	{name: "addition", calls: regexp.MustCompile(`^(Subscribe|CreateQueue|CreateTopic)$`),
		also: []string{sigLatency, sigThrottling}},
	// A new key or alias: nothing uses it until a setting points at it.
	{name: "addition", calls: regexp.MustCompile(`^(CreateKey|CreateAlias|ReplicateKey)$`),
		when: func(ev telemetry.CloudTrailEvent) bool { return strings.HasPrefix(ev.Source, "kms.") }},
	// An instance's protections and shutdown behaviour change nothing that
	// runs on it.
	{name: "bookkeeping", calls: regexp.MustCompile(`^ModifyInstanceAttribute$`),
		when: func(ev telemetry.CloudTrailEvent) bool {
			return requestHas(ev, "disableapitermination", "disableapistop", "instanceinitiatedshutdownbehavior") && !requestHas(ev, "instancetype", "userdata", "groupid", "sourcedestcheck")
		}},
	// A subnet's defaults for instances launched later (a public IP, an
	// IPv6 address on launch) leave running ones and their routes alone.
	{name: "launch defaults", calls: regexp.MustCompile(`^ModifySubnetAttribute$`),
		when: func(ev telemetry.CloudTrailEvent) bool {
			return requestHas(ev, "mappubliciponlaunch", "assignipv6addressoncreation", "mapcustomerownediponlaunch", "enabledns64", "privatednshostnametype", "enableresourcenamedns")
		},
		also: []string{sigNetwork, sigDNS}},
	// An identity provider's app client, domain or resource server: the
	// scopes, callbacks and secrets every sign-in is checked against.
	{name: "sign-in settings", calls: regexp.MustCompile(`^((Create|Update|Delete)(UserPoolClient|UserPoolDomain|ResourceServer|IdentityProvider)|SetUICustomization|SetRiskConfiguration)$`), immediate: true,
		typical: []string{sigAuthentication, sigAuthorization}, also: []string{sigCrash, sigNotFound, sigDNS, sigTLS}},
	// A user pool's user records: one user's account, not the app's logins.
	{name: "user records", calls: regexp.MustCompile(`^(Admin(Create|Delete|Disable|Enable|Update|AddUser|RemoveUser|SetUser|ResetUser|ConfirmSignUp)\w*|SignUp|ConfirmSignUp)$`),
		also: []string{sigAuthentication, sigAuthorization}},
	// Stopping or resizing an instance takes what runs there away: the
	// connections it served are refused until it is back.
	{name: "instance stop", calls: regexp.MustCompile(`^(StopInstances|TerminateInstances|RebootInstances|StopDBInstance|StopDBCluster|RebootDBInstance|RebootDBCluster|FailoverDBCluster|TestFailover|RebootCacheCluster)$`), immediate: true,
		typical: []string{sigNetwork, sigUnhealthy, sigExhaustion, sigLatency}, also: []string{sigCrash, sigBacklog, sigThrottling, sigNotFound, sigStarved}},
	// A cache or database resized: less memory or fewer connections.
	{name: "capacity", calls: regexp.MustCompile(`^(ModifyReplicationGroup|ModifyCacheCluster|ModifyDBInstance|ModifyDBCluster)$`),
		when: func(ev telemetry.CloudTrailEvent) bool {
			return requestHas(ev, "cachenodetype", "dbinstanceclass", "numcacheclusters", "replicaspernodegroup", "serverlessv2scalingconfiguration", "allocatedstorage")
		},
		typical: []string{sigExhaustion, sigThrottling, sigLatency, sigBacklog}, also: []string{sigNetwork, sigUnhealthy, sigCrash, sigNotFound}},
	// A subscription's filter or delivery settings: what reaches a queue.
	{name: "event routing", calls: regexp.MustCompile(`^SetSubscriptionAttributes$`), immediate: true,
		typical: []string{sigStarved, sigBacklog, sigNotFound}, also: []string{sigLatency, sigCrash, sigAuthorization}},
	// A database change that sets the master password is a credential.
	{name: "credentials", calls: regexp.MustCompile(`^(RotateSecret|PutSecretValue|UpdateSecret|UpdateSecretVersionStage|CancelRotateSecret|DeleteSecret|RotationStarted|RotationSucceeded|(Update|Delete|Create)AccessKey|(Update|Delete)LoginProfile|ChangePassword|(Reset|Update|Delete)ServiceSpecificCredential|(Update|Delete)SigningCertificate|(Update|Delete)SSHPublicKey|ImportCertificate|DeleteCertificate|RenewCertificate|(Upload|Delete)ServerCertificate|ModifyDB(Instance|Cluster)|ModifyUser|ModifyReplicationGroup)$`),
		when: func(ev telemetry.CloudTrailEvent) bool {
			return !strings.HasPrefix(ev.Name, "Modify") || requestHas(ev, "password", "authtoken", "passwords")
		},
		typical: []string{sigAuthentication, sigTLS, sigExpired}, also: []string{sigAWSKey, sigCrash, sigNotFound, sigUnhealthy, sigKMS}},
	{name: "name resolution", calls: regexp.MustCompile(`^(ChangeResourceRecordSets|DeleteHostedZone|(Associate|Disassociate)VPC(With|From)HostedZone|(Create|Update|Delete)ResolverRule|(Associate|Disassociate)ResolverRule|ModifyVpcAttribute|(Create|Delete|Modify)DhcpOptions|AssociateDhcpOptions)$`),
		typical: []string{sigDNS, sigNetwork}, also: []string{sigTLS, sigNotFound, sigAuthentication, sigUnhealthy, sigLatency, sigCrash}},
	// Security groups are allow-lists: a rule added opens a path and
	// cannot block one (only a rule that replaced a narrower one could).
	{name: "security group opening", calls: regexp.MustCompile(`^AuthorizeSecurityGroup(Ingress|Egress)$`),
		also: []string{sigNetwork, sigLatency, sigUnhealthy}},
	// Blocked connections are refused or hang until a timeout: slowness
	// is as typical as the timeout itself.
	{name: "network", immediate: true, calls: regexp.MustCompile(`^((Authorize|Revoke)SecurityGroup(Ingress|Egress)|ModifySecurityGroupRules|DeleteSecurityGroup|(Create|Delete|Replace)NetworkAclEntry|ReplaceNetworkAclAssociation|(Create|Delete|Replace)Route|(Replace|Associate|Disassociate)RouteTable(Association)?|(Create|Modify)VpcEndpoints?|DeleteVpcEndpoints|DeleteNatGateway|(Detach|Delete)InternetGateway|ModifyNetworkInterfaceAttribute|DeleteVpcPeeringConnection|ModifySubnetAttribute|SetSecurityGroups|SetSubnets|ApplySecurityGroupsToLoadBalancer|(Create|Delete|Replace)TransitGatewayRoute|Disassociate(Address|TransitGatewayRouteTable)|ReleaseAddress|(Update|Associate|Disassociate)Firewall\w*|UpdateRuleGroup|ModifyDBSubnetGroup)$`),
		typical: []string{sigNetwork, sigLatency}, also: []string{sigUnhealthy, sigBacklog, sigCrash}},
	// Load balancers and API routes: where requests go, and whether
	// targets count as healthy.
	{name: "routing", immediate: true, calls: regexp.MustCompile(`^(ModifyTargetGroup(Attributes)?|DeleteTargetGroup|(Create|Modify|Delete)(Listener|Rule)|SetRulePriorities|(Register|Deregister)Targets|ModifyLoadBalancerAttributes|(Create|Update|Delete)(Route|Integration|Method|Resource|BasePathMapping)|UpdateDistribution|(Register|Deregister)InstancesWithLoadBalancer|ConfigureHealthCheck)$`),
		typical: []string{sigUnhealthy, sigNotFound}, also: []string{sigNetwork, sigLatency, sigTLS, sigAuthorization, sigAuthentication}},
	// A table's indexes and schema: a query on a dropped index fails.
	{name: "schema", calls: regexp.MustCompile(`^UpdateTable$`),
		when: func(ev telemetry.CloudTrailEvent) bool {
			return requestHas(ev, "globalsecondaryindexupdates", "attributedefinitions")
		},
		typical: []string{sigNotFound, sigCrash}, also: []string{sigThrottling, sigLatency, sigBacklog, sigUnhealthy}},
	// Capacity: concurrency, instance counts, throughput, sizes. An
	// UpdateService that sets only the count is a capacity change.
	{name: "capacity", calls: regexp.MustCompile(`^UpdateService$`),
		when: func(ev telemetry.CloudTrailEvent) bool {
			return requestHas(ev, "desiredcount") && !requestHas(ev, "taskdefinition", "forcenewdeployment=true")
		},
		typical: []string{sigThrottling, sigBacklog, sigUnhealthy, sigLatency, sigExhaustion}, also: []string{sigNetwork, sigCrash}},
	{name: "capacity", calls: regexp.MustCompile(`^((Put|Delete)FunctionConcurrency|(Put|Delete)ProvisionedConcurrencyConfig|UpdateAutoScalingGroup|SetDesiredCapacity|PutScalingPolicy|DeletePolicy|(Put|BatchPut)ScheduledUpdateGroupActions?|DeleteScheduledAction|SuspendProcesses|DetachInstances|EnterStandby|TerminateInstanceInAutoScalingGroup|(Register|Deregister)ScalableTarget|PutScheduledAction|UpdateTable|UpdateTableReplicaAutoScaling|ModifyCurrentDBClusterCapacity|ModifyCacheCluster|UpdateUsagePlan|UpdateStage|UpdateShardCount|UpdateStreamMode|ModifyInstanceAttribute|StopInstances|TerminateInstances|ModifyInstanceCreditSpecification|UpdateThrottling|PutAccountSetting)$`),
		typical: []string{sigThrottling, sigBacklog, sigUnhealthy, sigLatency, sigExhaustion}, also: []string{sigNetwork, sigCrash, sigNotFound}},
	// Event routing: a rule disabled, a target or subscription removed, an
	// event source mapping turned off. Nothing fails; the work just stops
	// arriving, and waits or piles up elsewhere.
	{name: "event routing", immediate: true, calls: regexp.MustCompile(`^(DisableRule|DeleteRule|RemoveTargets|DeleteEventSourceMapping|Unsubscribe|DeleteSubscription|DeleteEventBus|DisableStageTransition|(Delete|Update)Schedule|DeleteQueue|PurgeQueue|DeleteTopic|DeleteDeliveryStream|StopStreamEncryption)$`),
		typical: []string{sigBacklog, sigNotFound}, also: []string{sigLatency, sigUnhealthy, sigCrash, sigAuthorization}},
	{name: "event routing", immediate: true, calls: regexp.MustCompile(`^UpdateEventSourceMapping$`),
		when:    func(ev telemetry.CloudTrailEvent) bool { return requestHas(ev, "enabled=false") },
		typical: []string{sigBacklog}, also: []string{sigLatency, sigUnhealthy}},
	// Deploys and configuration: new code or settings can break anything.
	{name: "deploy or configuration", calls: regexp.MustCompile(`^(UpdateService|CreateService|DeleteService|UpdateFunctionCode|UpdateFunctionConfiguration|UpdateAlias|PublishVersion|(Register|Deregister)TaskDefinition|CreateDeployment|CreateTaskSet|UpdateServicePrimaryTaskSet|UpdateStack|(Create|Execute)ChangeSet|(Put|Delete)Parameters?|UpdateEnvironment|UpdateApplication|StartDeployment|CreateApplicationVersion|CreateLaunchTemplateVersion|ModifyLaunchTemplate|StartInstanceRefresh|RegisterJobDefinition|UpdateConfigurationProfile|CreateHostedConfigurationVersion|SetQueueAttributes|SetTopicAttributes|(Create|Update|Delete)EventSourceMapping|Modify(DB|DBCluster|Cache)ParameterGroup|ResetDB(Cluster)?ParameterGroup|ModifyDB(Instance|Cluster)|RebootDB(Instance|Cluster)|PutRule|PutTargets|RemoveTargets|(Enable|Disable)Rule|UpdateStateMachine|PutBucketNotificationConfiguration|PutFunctionEventInvokeConfig|UpdateContainerInstancesState|PutImage)$`),
		typical: []string{sigCrash, sigExhaustion, sigNotFound}, also: everySignature},
}

// delayedEffectCalls are changes that act hours after they are made: a
// lifecycle rule expires objects a day on, a scheduled action scales at
// its hour, a key scheduled for deletion goes when its waiting period
// ends. The engine reads them from up to delayedLookback back and does not
// hold their age against them (see timeScore).
var delayedEffectCalls = []string{
	"PutBucketLifecycle", "PutBucketLifecycleConfiguration", "PutLifecycleConfiguration", "PutLifecyclePolicy",
	"PutScheduledUpdateGroupAction", "BatchPutScheduledUpdateGroupAction", "PutScheduledAction",
	"ScheduleKeyDeletion", "PutRetentionPolicy", "CreateSchedule", "UpdateSchedule",
}

// delayedEffect reports a change of delayedEffectCalls.
func delayedEffect(ev telemetry.CloudTrailEvent) bool {
	name := versionSuffix.ReplaceAllString(ev.Name, "")
	for _, c := range delayedEffectCalls {
		if c == name {
			return true
		}
	}
	return false
}

// versionSuffix is the API version some services append to event names
// (Lambda's UpdateFunctionCode20150331v2, CloudFront's
// UpdateDistribution2020_05_31).
var versionSuffix = regexp.MustCompile(`(\d{8}(v\d+)?|\d{4}_\d{2}_\d{2})$`)

// classOf is the class of a change, nil when the table does not know it.
func classOf(ev telemetry.CloudTrailEvent) *changeClass {
	name := versionSuffix.ReplaceAllString(ev.Name, "")
	for i := range changeClasses {
		c := &changeClasses[i]
		if c.calls.MatchString(name) && (c.when == nil || c.when(ev)) {
			return c
		}
	}
	return nil
}

// fit is how a change's class agrees with the failure's signatures.
type fit int

const (
	fitUnknown   fit = iota // no signature seen, or a change the table does not know
	fitMismatch             // the class cannot cause any signature seen
	fitPlausible            // it can, though it is not what it typically causes
	fitMatch                // it typically causes one of them
)

// fitFactor weighs a suspect's score by its fit: a match keeps it, a
// mismatch halves it (and keeps it from being likely).
var fitFactor = map[fit]float64{fitUnknown: 0.95, fitMismatch: 0.5, fitPlausible: 0.95, fitMatch: 1}

// mechanismFit says whether a change's class can cause the failure
// signatures seen, and names the signature it matches (typically or
// plausibly).
func mechanismFit(ev telemetry.CloudTrailEvent, seen map[string]bool) (fit, *changeClass, string) {
	c := classOf(ev)
	if c != nil && len(c.typical) == 0 && len(c.also) == 0 {
		return fitMismatch, c, "" // bookkeeping breaks nothing, whatever failed
	}
	if c == nil || len(seen) == 0 {
		return fitUnknown, c, ""
	}
	for _, s := range everySignature {
		if seen[s] && contains(c.typical, s) {
			return fitMatch, c, s
		}
	}
	for _, s := range everySignature {
		if seen[s] && contains(c.also, s) {
			return fitPlausible, c, s
		}
	}
	return fitMismatch, c, ""
}

// kindWeight is how much a tie by mechanism alone counts as a link: it
// ranks a matching change above unrelated ones, but never makes it likely
// on its own (a decoy of the same kind may sit right next to the cause).
const kindWeight = 0.45

// loggingKey names a setting that only changes what is logged.
var loggingKey = regexp.MustCompile(`(?i)(^|[/_.-])(log[_.-]?level|loglevel|log[_.-]?format|verbosity|debug[_.-]?logging|logging[_.-]?config|loggingconfig)`)

// onlyLoggingSetting reports a configuration change whose every named
// setting is about logging (a parameter /svc/prod/log_level, a
// function's LoggingConfig).
func onlyLoggingSetting(ev telemetry.CloudTrailEvent) bool {
	named := 0
	for _, p := range ev.Request {
		k, v, _ := strings.Cut(p, "=")
		lk := strings.ToLower(k)
		switch {
		case lk == "name" && ev.Name == "PutParameter":
			if !loggingKey.MatchString(v) {
				return false
			}
			named++
		case strings.HasPrefix(lk, "functionname") || lk == "environmentname" || lk == "applicationname" || lk == "overwrite" || lk == "type" || lk == "tier" || lk == "datatype" || lk == "value":
			// identifies the target, or is the value itself
		default:
			if ev.Name == "PutParameter" {
				continue
			}
			if !loggingKey.MatchString(k) {
				return false
			}
			named++
		}
	}
	return named > 0
}

// maintenanceKey is a setting that changes when and how a database or
// cache is maintained, backed up, monitored or described: not how it
// serves requests.
var maintenanceKey = regexp.MustCompile(`(?i)^(preferred(maintenance|backup)window|(snapshot|backup)(window|retention\w*)|backupretentionperiod|copytagstosnapshot|autominorversionupgrade|allowmajorversionupgrade|deletionprotection|monitoring(interval|rolearn)|(enable)?performanceinsights\w*|cloudwatchlogsexportconfiguration\S*|tags?\S*|\w*description|backtrackwindow|maxallocatedstorage|notificationtopic\S*|applyimmediately)$`)

// identifierKey names the resource a request is about.
var identifierKey = regexp.MustCompile(`(?i)(identifier|id|name|arn)$`)

// onlyMaintenanceSettings reports a Modify call whose every request
// setting is a maintenance one (a snapshot window, a backup retention).
func onlyMaintenanceSettings(ev telemetry.CloudTrailEvent) bool {
	named := 0
	for _, p := range ev.Request {
		k, _, _ := strings.Cut(p, "=")
		if strings.HasPrefix(k, "response.") || identifierKey.MatchString(k) {
			continue
		}
		if !maintenanceKey.MatchString(k) {
			return false
		}
		if !strings.EqualFold(k, "applyImmediately") {
			named++
		}
	}
	return named > 0
}

// endpointKey names a setting that holds where to connect.
var endpointKey = regexp.MustCompile(`(?i)(^|[/_.-])(base[_.-]?url|url|uri|host(name)?|endpoint|addr(ess)?|dsn|domain|upstream)$`)

// endpointSetting reports a parameter whose name says it holds a place to
// connect to (/prod/pricing-api/INVENTORY_BASE_URL).
func endpointSetting(ev telemetry.CloudTrailEvent) bool {
	for _, p := range ev.Request {
		if k, v, _ := strings.Cut(p, "="); strings.EqualFold(k, "name") {
			return endpointKey.MatchString(v)
		}
	}
	return false
}

// onlyDescription reports a request that sets only a description or a
// comment besides naming what it changes.
func onlyDescription(ev telemetry.CloudTrailEvent) bool {
	described := false
	for _, p := range ev.Request {
		k, _, _ := strings.Cut(p, "=")
		lk := strings.ToLower(k)
		switch {
		case strings.HasPrefix(lk, "response."):
		case lk == "description" || lk == "comment":
			described = true
		case identifierKey.MatchString(k) || lk == "clientrequesttoken":
		default:
			return false
		}
	}
	return described
}

// tuningAttribute are the load balancer and target group attributes that
// tune how requests are served rather than where they go.
var tuningAttribute = regexp.MustCompile(`^(idle_timeout|access_logs|connection_logs|deletion_protection|deregistration_delay|stickiness|slow_start|client_keep_alive|routing\.http\.(xff|preserve_host|x_amzn_tls)|zonal_shift)\b`)

// onlyTuningAttributes reports a ModifyLoadBalancerAttributes or
// ModifyTargetGroupAttributes that sets tuning attributes only.
func onlyTuningAttributes(ev telemetry.CloudTrailEvent) bool {
	n := 0
	for _, p := range ev.Request {
		k, v, _ := strings.Cut(p, "=")
		if !strings.HasPrefix(k, "attributes[") || !strings.HasSuffix(k, ".key") {
			continue
		}
		if !tuningAttribute.MatchString(v) {
			return false
		}
		n++
	}
	return n > 0
}

// requestHas reports whether a request parameter's key (or key=value)
// holds one of the words, case-insensitively.
func requestHas(ev telemetry.CloudTrailEvent, words ...string) bool {
	for _, p := range ev.Request {
		k, v, _ := strings.Cut(strings.ToLower(p), "=")
		for _, w := range words {
			if strings.Contains(w, "=") {
				if strings.Contains(k+"="+v, w) {
					return true
				}
			} else if strings.Contains(k, w) {
				return true
			}
		}
	}
	return false
}

// describeSignatures lists the signatures seen, in table order.
func describeSignatures(seen map[string]bool) string {
	var out []string
	for _, s := range signatures {
		if seen[s.name] {
			out = append(out, s.name)
		}
	}
	return strings.Join(out, "; ")
}

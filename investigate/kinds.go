package investigate

import (
	"regexp"
	"strings"
)

// When no name ties a change to the failure, its kind still may: a
// timeout points at network rules, an access denial at policies, a failed
// login at secrets, throttling at capacity. Such a tie ranks a change above
// unrelated ones, but never makes it likely on its own: a decoy of the
// same kind may sit right next to the cause.

// failureKind is a kind of failure, how the evidence says it, and which
// API calls can cause it.
type failureKind struct {
	name     string
	evidence *regexp.Regexp
	calls    *regexp.Regexp
}

var failureKinds = []failureKind{
	{"network failure",
		regexp.MustCompile(`(?i)timed? ?out|timeout|ETIMEDOUT|ECONNREFUSED|connection refused|refused|unreachable|no route to host|reset by peer|EHOSTUNREACH|could not connect|connect(ion)? (failed|error)|name resolution|NXDOMAIN|getaddrinfo`),
		regexp.MustCompile(`SecurityGroup|Route|NetworkAcl|NatGateway|VpcEndpoint|InternetGateway|TransitGateway|Subnet|ResourceRecordSets|Listener|VpcPeering|NetworkInterface|Firewall`)},
	{"access denial",
		regexp.MustCompile(`(?i)AccessDenied|not authorized to perform|UnauthorizedOperation|forbidden|\b403\b|KMS.*(denied|disabled)|is not authorized`),
		regexp.MustCompile(`Polic(y|ies)$|Policy|Permission|AssumeRole|DisableKey|ScheduleKeyDeletion|Grant|BucketPublicAccess|ResourcePolicy|QueueAttributes|TopicAttributes|RoleBoundary`)},
	{"failed login",
		regexp.MustCompile(`(?i)password authentication failed|access denied for user|authentication failed|invalid (password|credentials)|InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken|login failed|unauthorized`),
		regexp.MustCompile(`Secret|Rotate|Password|AccessKey|LoginProfile|ModifyDB|Credential|Certificate`)},
	{"capacity shortage",
		regexp.MustCompile(`(?i)throttl|TooManyRequests|rate exceeded|ProvisionedThroughputExceeded|capacity|concurrency|ConcurrentInvocationLimitExceeded|unhealthy|queue|backlog|AgeOfOldestMessage|pool exhausted|no healthy`),
		regexp.MustCompile(`Concurrency|DesiredCapacity|AutoScalingGroup|ScalingPolicy|ScalableTarget|UpdateService|UpdateTable|ModifyDBInstance|ModifyDBCluster|ModifyCacheCluster|ModifyReplicationGroup|Throughput|Throttl|UsagePlan|UpdateStage|ReservedConcurrentExecutions`)},
	{"faulty code or configuration",
		regexp.MustCompile(`(?i)exception|TypeError|NullPointer|undefined|panic|traceback|stack|segfault|ReferenceError|KeyError|ValueError|cannot read|invalid configuration|missing (env|config)`),
		regexp.MustCompile(`UpdateFunctionCode|UpdateFunctionConfiguration|RegisterTaskDefinition|UpdateService|CreateDeployment|UpdateStack|ExecuteChangeSet|PublishVersion|UpdateAlias|PutParameter|UpdateEnvironment|UpdateApplication|StartDeployment|CreateApplicationVersion`)},
}

// kindsOf names the kinds of failure a text shows.
func kindsOf(text string) []string {
	var out []string
	for _, k := range failureKinds {
		if k.evidence.MatchString(text) {
			out = append(out, k.name)
		}
	}
	return out
}

// kindLink is the failure kind a change could cause, if the evidence
// shows that kind; "" when none.
func kindLink(eventName string, seen map[string]bool) string {
	for _, k := range failureKinds {
		if seen[k.name] && k.calls.MatchString(eventName) {
			return k.name
		}
	}
	return ""
}

// kindWeight is how much a tie by kind alone counts as a link.
const kindWeight = 0.45

func joinKinds(kinds map[string]bool) string {
	var out []string
	for _, k := range failureKinds {
		if kinds[k.name] {
			out = append(out, k.name)
		}
	}
	return strings.Join(out, ", ")
}

package investigate

import (
	"net/netip"
	"strings"

	"github.com/fa2/fa2/telemetry"
)

// A route carries traffic only to its destination: deleting the route to a
// peered network (10.60.0.0/16) cannot cut calls to api.stripe.com, which
// leave through the default route. When the failing calls go to public
// hosts, a change to a route for private addresses only cannot be their
// cause, however close it came.

// routeCalls are the calls that add, remove or redirect one route.
var routeCalls = map[string]bool{"CreateRoute": true, "DeleteRoute": true, "ReplaceRoute": true}

// privateOnlyRoute reports a route change whose destination lies wholly in
// private address space (RFC 1918, carrier-grade NAT, IPv6 unique local).
func privateOnlyRoute(ev telemetry.CloudTrailEvent) bool {
	if !routeCalls[ev.Name] {
		return false
	}
	for _, p := range ev.Request {
		k, v, _ := strings.Cut(p, "=")
		if k != "destinationCidrBlock" && k != "destinationIpv6CidrBlock" {
			continue
		}
		prefix, err := netip.ParsePrefix(strings.TrimSpace(v))
		if err != nil {
			return false
		}
		return privatePrefix(prefix)
	}
	return false // a prefix list or no destination: cannot tell
}

var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("fc00::/7"),
}

func privatePrefix(p netip.Prefix) bool {
	for _, r := range privateRanges {
		if r.Bits() <= p.Bits() && r.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

// internalSuffixes end host names that resolve to private addresses.
var internalSuffixes = []string{".internal", ".local", ".lan", ".corp", ".intra", ".svc", ".consul"}

// failsAtPublicHosts reports failure evidence (new faults and errors)
// naming public host names: the failing calls leave the network.
func (im *implicated) failsAtPublicHosts() bool {
	for name, imps := range im.byName {
		if !hostName(name) || strings.Contains(name, ".amazonaws.com") {
			continue
		}
		internal := false
		for _, s := range internalSuffixes {
			internal = internal || strings.HasSuffix(name, s)
		}
		if internal {
			continue
		}
		for _, i := range imps {
			if i.weight >= 0.7 {
				return true
			}
		}
	}
	return false
}

// Security groups guard their own members: an ingress rule decides what
// reaches the instances, tasks or databases in the group. Calls that leave
// for a public host or a public AWS endpoint (sts.eu-central-1.amazonaws.com,
// not a database's endpoint inside the VPC) pass no one's ingress rules on
// the way out: only egress rules, routes and network ACLs can cut them.

// ingressChange reports a change to security group ingress rules only.
func ingressChange(ev telemetry.CloudTrailEvent) bool {
	return ev.Name == "AuthorizeSecurityGroupIngress" || ev.Name == "RevokeSecurityGroupIngress"
}

// publicAWSServices are the first labels of AWS service endpoints reached
// over the internet unless a VPC endpoint is in use.
var publicAWSServices = map[string]bool{
	"s3": true, "sts": true, "sqs": true, "sns": true, "dynamodb": true, "kms": true, "secretsmanager": true, "ssm": true,
	"logs": true, "monitoring": true, "lambda": true, "events": true, "kinesis": true, "firehose": true, "states": true,
	"ecr": true, "api": true, "xray": true, "bedrock-runtime": true, "execute-api": true, "cognito-idp": true, "ses": true, "email": true,
}

// publicAWSEndpoint reports a regional or global service endpoint
// (sts.amazonaws.com, sqs.eu-west-1.amazonaws.com, bucket.s3.us-east-1…).
func publicAWSEndpoint(host string) bool {
	rest, ok := strings.CutSuffix(host, ".amazonaws.com")
	if !ok {
		return false
	}
	labels := strings.Split(rest, ".")
	for _, l := range labels[:min(len(labels), 2)] {
		if publicAWSServices[l] {
			return len(labels) <= 3
		}
	}
	return false
}

// awsServiceHops are the first words of X-Ray's names for AWS SDK calls
// ("DynamoDB GetItem", "STS AssumeRoleWithWebIdentity").
var awsServiceHops = map[string]bool{
	"dynamodb": true, "s3": true, "sqs": true, "sns": true, "sts": true, "kms": true, "secretsmanager": true, "ssm": true,
	"kinesis": true, "lambda": true, "eventbridge": true, "firehose": true, "sfn": true, "stepfunctions": true, "ses": true, "cloudwatch": true,
}

// awsCallHop reports a failing hop that is an AWS SDK call.
func awsCallHop(hop string) bool {
	first, _, _ := strings.Cut(strings.TrimSpace(hop), " ")
	return awsServiceHops[strings.ToLower(first)]
}

// failsLeavingTheVPC reports failure evidence naming public hosts, public
// AWS endpoints or failing AWS SDK calls: calls that leave the network
// fail. (Through an interface VPC endpoint an AWS call stays inside, and
// the endpoint's own group's ingress rules apply: a failure naming a vpce-
// endpoint is not counted.)
func (im *implicated) failsLeavingTheVPC() bool {
	for name := range im.byName {
		if strings.HasPrefix(name, "vpce-") || strings.Contains(name, ".vpce.amazonaws.com") {
			return false
		}
	}
	if im.failsAtPublicHosts() || im.awsCallsFail {
		return true
	}
	for name, imps := range im.byName {
		if !publicAWSEndpoint(name) {
			continue
		}
		for _, i := range imps {
			if i.weight >= 0.7 {
				return true
			}
		}
	}
	return false
}

// A DNS record change acts on the names it changes. When the failing calls
// name the hosts that no longer resolve and none of them is (or is under)
// a record the change touched, the change did not cause it: an edit in a
// public zone leaves *.internal names alone.

// recordNames are the DNS names a ChangeResourceRecordSets request changes.
func recordNames(ev telemetry.CloudTrailEvent) []string {
	if ev.Name != "ChangeResourceRecordSets" {
		return nil
	}
	var out []string
	for _, p := range ev.Request {
		k, v, _ := strings.Cut(p, "=")
		if strings.HasSuffix(strings.ToLower(k), "resourcerecordset.name") {
			out = append(out, strings.TrimSuffix(strings.ToLower(strings.TrimSpace(v)), "."))
		}
	}
	return out
}

// otherRecords reports a record change none of whose names is a failing
// host's name or one of its parents, while failing hosts are named.
func (im *implicated) otherRecords(ev telemetry.CloudTrailEvent) bool {
	recs := recordNames(ev)
	if len(recs) == 0 {
		return false
	}
	hosts := 0
	for name, imps := range im.byName {
		if strings.Count(name, ".") < 2 || strings.ContainsAny(name, "/:@ ") || strings.HasSuffix(name, ".amazonaws.com") {
			continue
		}
		strong := false
		for _, i := range imps {
			strong = strong || i.weight >= 0.7
		}
		if !strong {
			continue
		}
		hosts++
		for _, r := range recs {
			r = strings.TrimPrefix(r, "*.")
			if name == r || strings.HasSuffix(name, "."+r) || strings.HasSuffix(r, "."+name) {
				return false
			}
		}
	}
	return hosts > 0
}

package investigate

import (
	"testing"

	"github.com/fa2/fa2/telemetry"
)

// A route to a peered private network cannot cut calls to api.stripe.com;
// the default route can, and a route to private addresses can when the
// failing calls stay inside.
func TestPrivateRoutesDoNotReachPublicHosts(t *testing.T) {
	route := func(name, cidr string) telemetry.CloudTrailEvent {
		return telemetry.CloudTrailEvent{Name: name, Request: []string{"destinationCidrBlock=" + cidr, "routeTableId=rtb-07d1"}}
	}
	if !privateOnlyRoute(route("DeleteRoute", "10.60.0.0/16")) || !privateOnlyRoute(route("ReplaceRoute", "172.20.4.0/24")) {
		t.Error("routes to private networks read as public")
	}
	for _, ev := range []telemetry.CloudTrailEvent{route("DeleteRoute", "0.0.0.0/0"), route("DeleteRoute", "52.94.0.0/16"), route("DeleteRoute", "10.0.0.0/7"),
		{Name: "DeleteRoute", Request: []string{"destinationPrefixListId=pl-63a5400a"}}, route("RevokeSecurityGroupEgress", "10.1.0.0/16")} {
		if privateOnlyRoute(ev) {
			t.Errorf("%s %v read as a private-only route", ev.Name, ev.Request)
		}
	}

	public := newImplicated()
	public.add("fault checkout-api > api.stripe.com — StripeConnectionError: Request aborted due to timeout", &item{source: srcTraces}, 1, "failing traces")
	if !public.failsAtPublicHosts() {
		t.Error("calls to api.stripe.com failing do not count as failing at public hosts")
	}
	internal := newImplicated()
	internal.add("ConnectError: inventory.stg.kestrel.internal: Name or service not known", &item{source: srcLogs}, 1, "a new or risen error template")
	internal.add("calls to sqs.eu-west-1.amazonaws.com timed out", &item{source: srcLogs}, 1, "a new or risen error template")
	internal.add("reached api.partner.com", &item{source: srcLogs}, 0.2, "background")
	if internal.failsAtPublicHosts() {
		t.Error("internal names, AWS endpoints or background evidence count as failing at public hosts")
	}
}

// A service ARN's cluster is shared by every service in it: it names
// neither, and does not tie one service's deploy to another's failure.
func TestECSClusterIsNotAServiceName(t *testing.T) {
	parts := arnParts("arn:aws:ecs:eu-west-1:318244096512:service/storefront-prod/notifications-api")
	for _, p := range parts {
		if p == "storefront-prod" || p == "storefront-prod/notifications-api" {
			t.Errorf("arnParts gave the cluster %q: %q", p, parts)
		}
	}
	if partOf("storefront-prod", "service/storefront-prod/checkout-api") || partOf("storefront-prod", "arn:aws:ecs:eu-west-1:1:service/storefront-prod/notifications-api") {
		t.Error("the cluster is part of a service's name")
	}
	if !partOf("notifications-api", "arn:aws:ecs:eu-west-1:1:service/storefront-prod/notifications-api") {
		t.Error("the service is not part of its own ARN")
	}
}

// A record change in a public zone leaves the internal names that fail to
// resolve alone; a change to the failing name or a parent of it does not.
func TestOtherRecords(t *testing.T) {
	im := newImplicated()
	im.add("getaddrinfo ENOTFOUND inventory.svc.internal.example", &item{source: srcLogs}, 1, "a new or risen error template")
	rec := func(name string) telemetry.CloudTrailEvent {
		return telemetry.CloudTrailEvent{Name: "ChangeResourceRecordSets", Request: []string{"hostedZoneId=Z1", "changeBatch.changes[0].resourceRecordSet.name=" + name}}
	}
	if !im.otherRecords(rec("www.example.com.")) {
		t.Error("a public record reads as the failing internal name")
	}
	for _, name := range []string{"inventory.svc.internal.example.", "svc.internal.example", "*.svc.internal.example."} {
		if im.otherRecords(rec(name)) {
			t.Errorf("%s is the failing name or its parent, yet reads as another record", name)
		}
	}
	if newImplicated().otherRecords(rec("www.example.com.")) {
		t.Error("with no failing host named, a record change was ruled out")
	}
}

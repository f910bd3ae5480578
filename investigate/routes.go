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

package investigate

import (
	"regexp"
	"strings"

	"github.com/fa2/fa2/telemetry"
)

// An AccessDenied message says who was refused what on which resource, and
// often which kind of policy refused it. That decides which change can
// have caused it: an explicit deny in a resource-based policy is a change
// to R's policy (PutBucketPolicy, PutKeyPolicy, SetQueueAttributes …), not
// to the caller's role; a missing allow in an identity-based policy is a
// change to the caller's role.

// denial is one parsed AccessDenied message.
type denial struct {
	principal string // arn:aws:sts::…:assumed-role/reports-export-job/…
	action    string // s3:PutObject
	resource  string // arn:aws:s3:::bucket/key
	// policy is "resource", "identity", "boundary", "scp", "session" or ""
	// when the message does not say.
	policy string
}

// deniedRE matches the AWS wording shared by the SDKs and services:
// "User: X is not authorized to perform: A on resource: R …".
var deniedRE = regexp.MustCompile(`(?i)(?:user|principal):?\s+"?(arn:[^\s"]+)"?\s+is not authorized to perform:?\s+"?([a-z0-9-]+:[A-Za-z0-9*]+)"?(?:\s+on resource:?\s+"?([^\s"]+)"?)?([^\n]{0,160})`)

// parseDenial finds an AccessDenied message in text.
func parseDenial(text string) (denial, bool) {
	m := deniedRE.FindStringSubmatch(text)
	if m == nil {
		return denial{}, false
	}
	d := denial{principal: m[1], action: m[2], resource: strings.TrimRight(m[3], ".,;)"), policy: policyKind(m[4])}
	return d, true
}

func policyKind(rest string) string {
	r := strings.ToLower(rest)
	switch {
	case strings.Contains(r, "resource-based policy") || strings.Contains(r, "resource based policy"):
		return "resource"
	case strings.Contains(r, "identity-based policy") || strings.Contains(r, "identity based policy"):
		return "identity"
	case strings.Contains(r, "permissions boundary"):
		return "boundary"
	case strings.Contains(r, "service control policy"):
		return "scp"
	case strings.Contains(r, "session policy"):
		return "session"
	}
	return ""
}

// roleName is the role of an assumed-role or role ARN, "" otherwise.
func roleName(principal string) string {
	for _, marker := range []string{":assumed-role/", ":role/"} {
		if i := strings.Index(principal, marker); i >= 0 {
			name, _, _ := strings.Cut(principal[i+len(marker):], "/")
			return strings.ToLower(name)
		}
	}
	return ""
}

// resourcePolicyChange is a call that edits a resource's own policy. A
// role's trust policy is the resource policy an sts:AssumeRole meets.
func resourcePolicyChange(name string) bool {
	return name == "UpdateAssumeRolePolicy" ||
		strings.HasSuffix(name, "Policy") && !strings.Contains(name, "RolePolicy") && !strings.Contains(name, "UserPolicy") && !strings.Contains(name, "GroupPolicy") ||
		name == "SetQueueAttributes" || name == "AddPermission" || name == "RemovePermission" || name == "PutBucketAcl" || name == "PutObjectAcl" || name == "CreateGrant" || name == "RevokeGrant" || name == "PutPublicAccessBlock"
}

// boundaryChange is a call that sets or removes a permissions boundary.
func boundaryChange(name string) bool {
	return strings.HasSuffix(name, "PermissionsBoundary")
}

// policyVersionChange is a call that changes what a managed policy says
// wherever it is attached.
func policyVersionChange(name string) bool {
	return name == "CreatePolicyVersion" || name == "SetDefaultPolicyVersion"
}

// identityPolicyChange is a call that edits what a role or user may do.
func identityPolicyChange(ev telemetry.CloudTrailEvent) bool {
	return ev.Source == "iam.amazonaws.com" || ev.Source == "sso.amazonaws.com" || ev.Source == "organizations.amazonaws.com"
}

// fitsDenial reports whether a change is of the kind a denial points at,
// and touches what it names: the resource's policy for a resource-based
// deny, the caller's role for an identity-based one, either when the
// message does not say.
func fitsDenial(ev telemetry.CloudTrailEvent, tokens []string, d denial) bool {
	touches := func(name string) bool {
		name = strings.ToLower(name)
		if name == "" {
			return false
		}
		for _, tok := range tokens {
			if sameResource(tok, name) || partOf(tok, name) {
				return true
			}
		}
		return false
	}
	onResource := false
	for _, id := range identifiers(d.resource) {
		if touches(id) {
			onResource = true
			break
		}
	}
	onRole := touches(roleName(d.principal))
	switch d.policy {
	case "resource":
		return onResource && resourcePolicyChange(ev.Name)
	case "boundary":
		// Only a boundary denies "in a permissions boundary": setting or
		// removing one on the role, or a new version of a managed policy
		// (which may be the boundary; the message does not name it).
		return onRole && boundaryChange(ev.Name) || identityPolicyChange(ev) && policyVersionChange(ev.Name)
	case "identity", "session":
		return onRole && identityPolicyChange(ev)
	case "scp":
		return ev.Source == "organizations.amazonaws.com"
	}
	return onResource && resourcePolicyChange(ev.Name) || onRole && identityPolicyChange(ev)
}

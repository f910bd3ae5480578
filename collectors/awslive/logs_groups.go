package awslive

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/fa2/fa2/telemetry"
)

// maxLogGroups caps how many log groups one listing or one query may cover:
// 1,000 groups is 20 Logs Insights queries already, and a prefix that
// matches more is almost surely too broad for an investigation.
const maxLogGroups = 1000

// LogGroups implements collectors.LogSource. When more than maxLogGroups
// groups start with prefix it returns the first maxLogGroups together with a
// KindLimit error saying so, so a caller may still show what it got.
func (c *Client) LogGroups(ctx context.Context, prefix string) ([]string, error) {
	names, more, err := c.describeLogGroups(ctx, prefix, maxLogGroups)
	if err != nil {
		return nil, err
	}
	if more {
		return names, telemetry.Errorf(telemetry.KindLimit, "more than %d log groups start with %q; only the first %d are listed.", maxLogGroups, prefix, maxLogGroups).WithHint("Use a longer prefix to see the others.")
	}
	return names, nil
}

// describeLogGroups pages through DescribeLogGroups until max names are
// found; more reports that further groups exist.
func (c *Client) describeLogGroups(ctx context.Context, prefix string, max int) (names []string, more bool, err error) {
	in := &cloudwatchlogs.DescribeLogGroupsInput{Limit: aws.Int32(50)}
	if prefix != "" {
		in.LogGroupNamePrefix = aws.String(prefix)
	}
	pages := cloudwatchlogs.NewDescribeLogGroupsPaginator(c.logs, in)
	var guard stallGuard
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, false, mapError("logs:DescribeLogGroups", err)
		}
		if guard.stalled(page.NextToken, len(page.LogGroups)) {
			break
		}
		for _, g := range page.LogGroups {
			if len(names) == max {
				return names, true, nil
			}
			names = append(names, aws.ToString(g.LogGroupName))
		}
	}
	return names, false, nil
}

// resolveLogGroups turns the requested names into the log groups to query:
// names pass through (StartQuery reports unknown ones), prefixes ending in
// "*" are expanded with DescribeLogGroups, and no names at all means the
// configured logs.groups. Duplicates are dropped, order is kept.
func (c *Client) resolveLogGroups(ctx context.Context, requested []string) ([]string, error) {
	if len(requested) == 0 && c.settings != nil {
		requested = c.settings.Logs.Groups
	}
	if len(requested) == 0 {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "no log groups to search: none were given and none are configured.").WithHint("Pass log_groups (names, or prefixes ending in *), or set logs.groups in the config file or FA2_LOGS_GROUPS.")
	}
	seen := map[string]bool{}
	var out []string
	add := func(g string) {
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	for _, raw := range requested {
		name := strings.TrimSpace(raw)
		star := strings.Index(name, "*")
		switch {
		case name == "":
			return nil, telemetry.Errorf(telemetry.KindInvalidInput, "a log group name is empty.").WithHint("Remove the empty entry from log_groups.")
		case star >= 0 && star != len(name)-1:
			return nil, telemetry.Errorf(telemetry.KindInvalidInput, "log group %q has a * that is not at the end; only prefixes are supported.", name).WithHint("Write a prefix with a single * at the end, such as /ecs/*.")
		case strings.HasPrefix(name, "arn:"):
			arn, err := logGroupARN(name)
			if err != nil {
				return nil, err
			}
			add(arn)
			continue
		case star < 0:
			add(name)
			continue
		}
		prefix := strings.TrimSuffix(name, "*")
		names, more, err := c.describeLogGroups(ctx, prefix, maxLogGroups)
		if err != nil {
			return nil, err
		}
		if len(names) == 0 {
			return nil, telemetry.Errorf(telemetry.KindNotFound, "no log group starts with %q.", prefix).WithHint(fmt.Sprintf("Check the prefix and the region (%s); `aws logs describe-log-groups --log-group-name-prefix` lists what exists.", c.region))
		}
		if more {
			return nil, telemetry.Errorf(telemetry.KindLimit, "more than %d log groups start with %q, too many to search at once.", maxLogGroups, prefix).WithHint("Use a longer prefix or name the log groups.")
		}
		for _, g := range names {
			add(g)
		}
	}
	if len(out) > maxLogGroups {
		return nil, telemetry.Errorf(telemetry.KindLimit, "the log groups requested cover %d groups; fa2 searches at most %d at once.", len(out), maxLogGroups).WithHint("Use longer prefixes or fewer names.")
	}
	return out, nil
}

// logGroupARNPattern is a log group ARN as StartQuery's logGroupIdentifiers
// takes it: arn:aws:logs:region:account-id:log-group:log_group_name, no
// trailing * (StartQuery API reference, logGroupIdentifiers).
var logGroupARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:[\.\-_/#A-Za-z0-9]+$`)

// logGroupARN checks a log group ARN, dropping the ":*" that DescribeLogGroups
// and the console append (StartQuery rejects it). ARNs are how a monitoring
// account names log groups of its source accounts.
func logGroupARN(arn string) (string, error) {
	arn = strings.TrimSuffix(arn, ":*")
	if !logGroupARNPattern.MatchString(arn) {
		return "", telemetry.Errorf(telemetry.KindInvalidInput, "%q is not a log group ARN.", arn).
			WithHint("Write arn:aws:logs:REGION:ACCOUNT_ID:log-group:NAME (no * at the end), or pass the plain log group name.")
	}
	return arn, nil
}

// hasARN reports whether any group is named by ARN, which StartQuery only
// accepts in logGroupIdentifiers.
func hasARN(groups []string) bool {
	for _, g := range groups {
		if strings.HasPrefix(g, "arn:") {
			return true
		}
	}
	return false
}

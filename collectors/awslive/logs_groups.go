package awslive

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/fa2/fa2/collectors"
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
		return names, collectors.Errorf(collectors.KindLimit, "Use a longer prefix to see the others.",
			"more than %d log groups start with %q; only the first %d are listed.", maxLogGroups, prefix, maxLogGroups)
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
		return nil, collectors.Errorf(collectors.KindInvalidInput,
			"Pass log_groups (names, or prefixes ending in *), or set logs.groups in the config file or FA2_LOGS_GROUPS.",
			"no log groups to search: none were given and none are configured.")
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
			return nil, collectors.Errorf(collectors.KindInvalidInput, "Remove the empty entry from log_groups.", "a log group name is empty.")
		case star >= 0 && star != len(name)-1:
			return nil, collectors.Errorf(collectors.KindInvalidInput, "Write a prefix with a single * at the end, such as /ecs/*.",
				"log group %q has a * that is not at the end; only prefixes are supported.", name)
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
			return nil, collectors.Errorf(collectors.KindNotFound,
				fmt.Sprintf("Check the prefix and the region (%s); `aws logs describe-log-groups --log-group-name-prefix` lists what exists.", c.region),
				"no log group starts with %q.", prefix)
		}
		if more {
			return nil, collectors.Errorf(collectors.KindLimit, "Use a longer prefix or name the log groups.",
				"more than %d log groups start with %q, too many to search at once.", maxLogGroups, prefix)
		}
		for _, g := range names {
			add(g)
		}
	}
	if len(out) > maxLogGroups {
		return nil, collectors.Errorf(collectors.KindLimit, "Use longer prefixes or fewer names.",
			"the log groups requested cover %d groups; fa2 searches at most %d at once.", len(out), maxLogGroups)
	}
	return out, nil
}

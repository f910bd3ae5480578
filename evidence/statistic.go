package evidence

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// CloudWatch's statistic grammar, from "CloudWatch statistics definitions"
// in the CloudWatch user guide: the five basic statistics, IQM, percentiles
// pNN(.NN), the shorthand tmNN/wmNN/tcNN/tsNN, and the range forms
// TM(a:b), WM(a:b), TC(a:b), TS(a:b), PR(a:b) whose bounds are percents
// (10%) or values (150), either one optional but not both.
var (
	percentileStat = regexp.MustCompile(`^(p|tm|wm|tc|ts)([0-9]{1,3}(\.[0-9]{1,10})?)$`)
	rangeStat      = regexp.MustCompile(`^(TM|WM|TC|TS|PR)\(([0-9]+(\.[0-9]+)?%?)?:([0-9]+(\.[0-9]+)?%?)?\)$`)
)

// ValidateStatistic reports whether CloudWatch would accept s as a
// statistic, with a message that says what is allowed. Values that would
// quietly fetch nothing (bogus, p-1, pNaN, p101) are errors, not zeros.
func ValidateStatistic(s string) error {
	switch s {
	case "SampleCount", "Sum", "Average", "Minimum", "Maximum", "IQM":
		return nil
	}
	if m := percentileStat.FindStringSubmatch(s); m != nil {
		p, err := strconv.ParseFloat(m[2], 64)
		if err == nil && p > 0 && p <= 100 {
			return nil
		}
		return fmt.Errorf("statistic %q: the percentile must be above 0 and at most 100", s)
	}
	if m := rangeStat.FindStringSubmatch(s); m != nil {
		if m[2] == "" && m[4] == "" {
			return fmt.Errorf("statistic %q: give at least one bound, e.g. %s(10%%:90%%)", s, m[1])
		}
		for _, b := range []string{m[2], m[4]} {
			if strings.HasSuffix(b, "%") {
				if v, _ := strconv.ParseFloat(strings.TrimSuffix(b, "%"), 64); v > 100 {
					return fmt.Errorf("statistic %q: a percent bound must be at most 100%%", s)
				}
			}
		}
		return nil
	}
	return fmt.Errorf("statistic %q is not one CloudWatch knows: use Sum, Average, Minimum, Maximum, SampleCount, IQM, a percentile such as p99 or p99.9, or a range form such as TM(10%%:90%%)", s)
}

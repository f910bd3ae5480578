package config

import (
	"regexp"
	"strings"
	"time"
)

// Output configures where results go without a Slack app (SNS, S3).
type Output struct {
	SNSTopicARN string `yaml:"sns_topic_arn" doc:"SNS topic Amazon Q Developer in chat applications listens to; results are published there as custom notifications"`
	S3URI       string `yaml:"s3_uri" doc:"s3://bucket/prefix for full reports, PDFs and pictures, linked from notifications"`
	// PresignExpiry is how long the links in a notification work.
	PresignExpiry Duration `yaml:"presign_expiry" doc:"how long presigned links to reports work (at most 168h)"`
}

func defaultOutput() Output { return Output{PresignExpiry: Duration(24 * time.Hour)} }

var topicARN = regexp.MustCompile(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$`)

// validate reports bad values through bad, naming the key.
func (s *Output) validate(bad func(key, format string, args ...any)) {
	if s.SNSTopicARN != "" && !topicARN.MatchString(s.SNSTopicARN) {
		bad("output.sns_topic_arn", "%q is not an SNS topic ARN", s.SNSTopicARN)
	}
	if s.S3URI != "" {
		if b, _, _ := strings.Cut(strings.TrimPrefix(s.S3URI, "s3://"), "/"); !strings.HasPrefix(s.S3URI, "s3://") || b == "" {
			bad("output.s3_uri", "%q is not an s3://bucket/prefix URI", s.S3URI)
		}
	}
	// SigV4 presigned URLs live at most seven days.
	if d := time.Duration(s.PresignExpiry); d < time.Minute || d > 7*24*time.Hour {
		bad("output.presign_expiry", "%s is out of range 1m-168h", d)
	}
}

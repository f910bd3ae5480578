package events

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/fa2/fa2/telemetry"
)

// Actions are the IAM actions this package calls, beyond fa2's read-only
// telemetry policy (s3:GetObject is what the presigned links use). The
// SQS ones only the poller needs; deploy/template.yaml grants the rest to
// the function, and a test compares the template with the code.
var Actions = []string{"sns:Publish", "s3:PutObject", "s3:GetObject", "sqs:ReceiveMessage", "sqs:DeleteMessage"}

// SNSAPI is the part of the SNS client fa2 uses.
type SNSAPI interface {
	Publish(ctx context.Context, in *sns.PublishInput, optFns ...func(*sns.Options)) (*sns.PublishOutput, error)
}

// SNSPublisher publishes notifications to one topic.
type SNSPublisher struct {
	Client   SNSAPI
	TopicARN string
}

// Publish sends the notification's JSON as the message.
func (p SNSPublisher) Publish(ctx context.Context, message []byte) error {
	_, err := p.Client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(p.TopicARN), Message: aws.String(string(message))})
	if err != nil {
		return awsError("sns:Publish", p.TopicARN, err)
	}
	return nil
}

// S3API is the part of the S3 client fa2 uses.
type S3API interface {
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// S3Store keeps report sets under s3://Bucket/Prefix and hands out
// presigned links to them.
type S3Store struct {
	Client  S3API
	Presign *s3.PresignClient
	Bucket  string
	Prefix  string
	Expiry  time.Duration
}

// ParseS3URI splits s3://bucket/prefix.
func ParseS3URI(uri string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(uri, "s3://")
	bucket, prefix, _ = strings.Cut(rest, "/")
	if !ok || bucket == "" {
		return "", "", telemetry.Errorf(telemetry.KindInvalidInput, "output.s3_uri %q is not an s3://bucket/prefix URI.", uri).WithHint("Set output.s3_uri to s3://BUCKET/fa2/ (the deploy template's bucket).")
	}
	return bucket, strings.Trim(prefix, "/"), nil
}

func (s *S3Store) key(name string) string {
	if s.Prefix == "" {
		return name
	}
	return s.Prefix + "/" + name
}

// Put uploads one file.
func (s *S3Store) Put(ctx context.Context, name string, data []byte, contentType string) error {
	_, err := s.Client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(s.key(name)), Body: bytes.NewReader(data), ContentType: aws.String(contentType)})
	if err != nil {
		return awsError("s3:PutObject", "s3://"+s.Bucket+"/"+s.key(name), err)
	}
	return nil
}

// Link presigns a GET of one file for Expiry.
func (s *S3Store) Link(ctx context.Context, name string) (string, error) {
	req, err := s.Presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(s.key(name))}, s3.WithPresignExpires(s.Expiry))
	if err != nil {
		return "", fmt.Errorf("presign s3://%s/%s: %w", s.Bucket, s.key(name), err)
	}
	return req.URL, nil
}

// Claim records that key is being handled, once across every fa2 that
// shares the bucket: S3's conditional write (If-None-Match: *) lets only
// the first writer create the marker. It reports false when the marker
// exists, i.e. the transition was already taken.
func (s *S3Store) Claim(ctx context.Context, key string) (bool, error) {
	_, err := s.Client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(s.key("claims/" + key)),
		Body: strings.NewReader(time.Now().UTC().Format(time.RFC3339)), IfNoneMatch: aws.String("*")})
	if err == nil {
		return true, nil
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && (re.HTTPStatusCode() == http.StatusPreconditionFailed || re.HTTPStatusCode() == http.StatusConflict) {
		return false, nil
	}
	return false, awsError("s3:PutObject", "s3://"+s.Bucket+"/"+s.key("claims/"+key), err)
}

// MemoryClaims remembers transitions in this process: enough for one SQS
// poller, not for concurrent Lambdas (use S3Store there).
type MemoryClaims struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

// Claim implements Claimer.
func (m *MemoryClaims) Claim(_ context.Context, key string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.seen == nil {
		m.seen = map[string]time.Time{}
	}
	// Forget transitions older than a day: EventBridge and SQS retries
	// come within hours.
	for k, t := range m.seen {
		if time.Since(t) > 24*time.Hour {
			delete(m.seen, k)
		}
	}
	if _, ok := m.seen[key]; ok {
		return false, nil
	}
	m.seen[key] = time.Now()
	return true, nil
}

// awsError names the call and what to grant when AWS refuses.
func awsError(action, resource string, err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "AccessDenied", "AccessDeniedException", "AuthorizationError":
			return telemetry.Errorf(telemetry.KindAccessDenied, "%s on %s was denied: %s.", action, resource, ae.ErrorMessage()).WithHint("Grant " + action + " on " + resource + " to fa2's role.")
		case "NotFound", "NoSuchBucket":
			return telemetry.Errorf(telemetry.KindNotFound, "%s: %s does not exist: %s.", action, resource, ae.ErrorMessage()).WithHint("Check output.sns_topic_arn and output.s3_uri.")
		}
		return telemetry.Errorf(telemetry.KindUnavailable, "%s on %s failed: %s: %s.", action, resource, ae.ErrorCode(), ae.ErrorMessage()).WithHint("Retry later; if it persists, check the AWS service health.")
	}
	return fmt.Errorf("%s on %s: %w", action, resource, err)
}

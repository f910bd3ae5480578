package events

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// SQSAPI is the part of the SQS client the poller uses.
type SQSAPI interface {
	ReceiveMessage(ctx context.Context, in *sqs.ReceiveMessageInput, optFns ...func(*sqs.Options)) (*sqs.ReceiveMessageOutput, error)
	DeleteMessage(ctx context.Context, in *sqs.DeleteMessageInput, optFns ...func(*sqs.Options)) (*sqs.DeleteMessageOutput, error)
}

// Poller reads alarm events from an SQS queue (an EventBridge rule's
// target) for hosts that run all the time (ECS, a VM). A message is
// deleted once handled; one whose notification could not be published is
// left for SQS to deliver again (and, after the queue's maxReceiveCount,
// to its dead-letter queue).
type Poller struct {
	Client   SQSAPI
	QueueURL string
	Handler  *Handler
	// Visibility hides a message while it is handled: longer than the
	// handler's Timeout, so no one else picks it up meanwhile.
	Visibility time.Duration
	// Once stops after one receive (tests, cron-style runs).
	Once bool
}

// Run polls until ctx ends. Receive errors are logged and retried after a
// pause, so a brief outage does not stop the host.
func (p *Poller) Run(ctx context.Context) error {
	vis := p.Visibility
	if vis <= 0 {
		vis = p.Handler.Timeout + p.Handler.Margin + time.Minute
	}
	for {
		out, err := p.Client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(p.QueueURL), MaxNumberOfMessages: 10, WaitTimeSeconds: 20,
			VisibilityTimeout: int32(min(vis, 12*time.Hour) / time.Second),
		})
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			err = awsError("sqs:ReceiveMessage", p.QueueURL, err)
			p.Handler.Log.Error().Err(err).Msg("reading the event queue failed; retrying in 10s")
			if p.Once {
				return err
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(10 * time.Second):
			}
			continue
		}
		for _, m := range out.Messages {
			_, herr := p.Handler.Handle(ctx, []byte(aws.ToString(m.Body)))
			if herr != nil {
				p.Handler.Log.Error().Err(herr).Str("message", aws.ToString(m.MessageId)).Msg("left on the queue for another try")
				continue
			}
			if _, err := p.Client.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(p.QueueURL), ReceiptHandle: m.ReceiptHandle}); err != nil {
				p.Handler.Log.Error().Err(awsError("sqs:DeleteMessage", p.QueueURL, err)).Msg("a handled message could not be deleted; it will be skipped as a repeat")
			}
		}
		if p.Once || errors.Is(ctx.Err(), context.Canceled) {
			return nil
		}
	}
}

package awslive

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
	"github.com/fa2/fa2/telemetry"
)

// mapError turns an SDK error into a telemetry.Error that says what to do
// next. op names the API call ("logs:StartQuery"), which is also the IAM
// action a missing permission refers to.
func mapError(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return &telemetry.Error{Kind: telemetry.KindUnavailable, Err: err,
			Msg:  fmt.Sprintf("%s failed: %v.", op, err),
			Hint: "Check network access to AWS and your credentials (aws sts get-caller-identity)."}
	}
	code, msg := apiErr.ErrorCode(), apiErr.ErrorMessage()
	e := &telemetry.Error{Err: err, Msg: fmt.Sprintf("%s: %s: %s.", op, code, strings.TrimSuffix(msg, "."))}
	switch {
	case code == "ThrottlingException" || code == "Throttling" || code == "ThrottledException" || code == "TooManyRequestsException" ||
		code == "RequestLimitExceeded" || code == "ProvisionedThroughputExceededException":
		e.Kind, e.Hint = telemetry.KindThrottled, "AWS is throttling requests; wait a minute, or narrow the window or the number of log groups."
	case code == "LimitExceededException" || code == "LimitExceeded":
		e.Kind, e.Hint = telemetry.KindLimit, "Too many queries are running in this account; wait for some to finish and try again."
	case code == "AccessDeniedException" || code == "AccessDenied" || code == "UnauthorizedOperation" ||
		code == "UnrecognizedClientException" || code == "ExpiredTokenException" || code == "InvalidClientTokenId":
		e.Kind, e.Hint = telemetry.KindAccessDenied, fmt.Sprintf("Grant the caller the IAM action %s (see the README's policy) or refresh the credentials.", op)
	case code == "InvalidAccessException" || code == "SubscriptionRequiredException" || code == "OptInRequired":
		e.Kind, e.Hint = telemetry.KindUnsupported, "The service is not enabled for this account or region; enable it, or leave it out of the request."
	case code == "ResourceNotFoundException" || code == "ResourceNotFound":
		e.Kind, e.Hint = telemetry.KindNotFound, "Check the name and the region; list what exists and try again."
	case code == "MalformedQueryException" || code == "InvalidParameterException" || code == "ValidationException" ||
		code == "InvalidParameterValueException" || code == "InvalidRequestException" || code == "InvalidInputException" ||
		code == "BadRequestException" || code == "InvalidParameterCombinationException" ||
		code == "InvalidParameterValue" || code == "InvalidParameterCombination" || code == "MissingParameter" ||
		code == "InvalidNextToken" || code == "InvalidFormat":
		e.Kind, e.Hint = telemetry.KindInvalidInput, "Fix the request as the message says and try again."
	default:
		e.Kind, e.Hint = telemetry.KindUnavailable, "AWS returned an unexpected error; retry, and check the service health if it persists."
	}
	return e
}

package awslive

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
	"github.com/fa2/fa2/telemetry"
)

// This file maps AWS errors to telemetry.Error. Each service has one switch
// over the error codes it declares (its SDK's types/errors.go, and for
// CloudTrail the errors the LookupEvents API reference lists), because the
// same code means different things in different services: Security Hub's
// LimitExceededException is its throttling, Logs' is the concurrent-query
// quota. Codes every service may return — the common errors of the AWS API
// references (CommonErrors.html) and the signature errors of SigV4 — are
// handled once, in commonErrorClass. errors_test.go checks that every
// declared code lands in a deliberate class.

// errorClass is what fa2 makes of an error code.
type errorClass int

const (
	classUnknown      errorClass = iota // not declared: reported as unexpected
	classThrottled                      // request rate; retry later
	classQueryQuota                     // too many concurrent queries
	classDenied                         // IAM permission missing
	classCredentials                    // credentials invalid or expired
	classClockSkew                      // request signed with a wrong clock
	classNotEnabled                     // service or feature not enabled here
	classNotFound                       // a named resource does not exist
	classInvalid                        // the request is wrong
	classServerFault                    // AWS failed; retry
	classRequestLimit                   // one request asked for too much
	classNotPermitted                   // the call is not offered here
	classWriteSide                      // declared for writes fa2 never makes
)

// mapError turns an SDK error into a telemetry.Error that says what to do
// next. op names the API call ("logs:StartQuery"), which is also the IAM
// action a missing permission refers to; it goes in Error.Op.
func mapError(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return &telemetry.Error{Kind: telemetry.KindUnavailable, Err: err, Op: op,
			Msg:  fmt.Sprintf("the call did not reach AWS or its answer was unreadable: %v.", err),
			Hint: "Check network access to AWS and your credentials (aws sts get-caller-identity)."}
	}
	code, msg := apiErr.ErrorCode(), apiErr.ErrorMessage()
	e := &telemetry.Error{Err: err, Op: op, Msg: fmt.Sprintf("%s: %s.", code, strings.TrimSuffix(msg, "."))}
	e.Kind, e.Hint = classify(op, code).explain(op)
	return e
}

// classify finds the class of code for the service op belongs to.
func classify(op, code string) errorClass {
	if c := commonErrorClass(code); c != classUnknown {
		return c
	}
	service, _, _ := strings.Cut(op, ":")
	switch service {
	case "logs":
		return logsErrorClass(code)
	case "cloudwatch":
		return cloudwatchErrorClass(code)
	case "xray":
		return xrayErrorClass(code)
	case "cloudtrail":
		return cloudtrailErrorClass(code)
	case "athena":
		return athenaErrorClass(code)
	case "securityhub":
		return securityhubErrorClass(code)
	case "guardduty":
		return guarddutyErrorClass(code)
	}
	return classUnknown
}

// explain is the kind and next step of a class.
func (c errorClass) explain(op string) (telemetry.Kind, string) {
	switch c {
	case classThrottled:
		return telemetry.KindThrottled, "AWS is throttling requests; wait a minute, or narrow the window or the number of log groups."
	case classQueryQuota:
		return telemetry.KindLimit, "Too many queries are running in this account; wait for some to finish and try again."
	case classDenied:
		return telemetry.KindAccessDenied, fmt.Sprintf("Grant the caller the IAM action %s (see the README's policy).", op)
	case classCredentials:
		return telemetry.KindAccessDenied, "The AWS credentials are invalid or expired: refresh them (aws sso login, or new keys) and check with aws sts get-caller-identity."
	case classClockSkew:
		return telemetry.KindAccessDenied, "AWS rejected the request's signature time: set this machine's clock right (enable NTP) and retry."
	case classNotEnabled:
		return telemetry.KindUnsupported, "The service or feature is not enabled for this account or region; enable it, or leave it out of the request."
	case classNotFound:
		return telemetry.KindNotFound, "Check the name and the region; list what exists and try again."
	case classInvalid:
		return telemetry.KindInvalidInput, "Fix the request as the message says and try again."
	case classServerFault:
		return telemetry.KindUnavailable, "AWS failed to answer; retry in a minute, and check the AWS Health Dashboard if it persists."
	case classRequestLimit:
		return telemetry.KindLimit, "The request exceeded a service limit (see the message); ask for less: a shorter window, fewer items or a coarser period."
	case classNotPermitted:
		return telemetry.KindUnsupported, "AWS does not offer this call here (for example in this region or partition); read the data another way, such as the Athena backend over the trail's S3 logs."
	case classWriteSide:
		return telemetry.KindUnavailable, fmt.Sprintf("%s is read-only and should not fail this way; retry, and report it to fa2 if it persists.", op)
	}
	return telemetry.KindUnavailable, "AWS returned an unexpected error; retry, and check the service health if it persists."
}

// commonErrorClass covers the errors any AWS API may return: the common
// errors listed in every API reference (e.g.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html)
// and SigV4's signature failures. JSON-protocol services spell some with an
// "Exception" suffix; the query protocol (CloudWatch) without.
func commonErrorClass(code string) errorClass {
	switch code {
	case "ThrottlingException", "Throttling", "RequestLimitExceeded", "TooManyRequestsException":
		return classThrottled
	case "AccessDeniedException", "AccessDenied", "NotAuthorized", "UnauthorizedOperation":
		return classDenied
	case "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "UnrecognizedClientException",
		"MissingAuthenticationToken", "MissingAuthenticationTokenException", "IncompleteSignature",
		"IncompleteSignatureException", "SignatureDoesNotMatch", "InvalidSignatureException":
		return classCredentials
	case "RequestExpired", "RequestTimeTooSkewed", "RequestInTheFuture":
		return classClockSkew
	case "OptInRequired", "SubscriptionRequiredException":
		return classNotEnabled
	case "ValidationError", "ValidationException", "InvalidParameterValue", "InvalidParameterCombination",
		"MissingParameter", "MalformedQueryString", "InvalidQueryParameter", "InvalidAction":
		return classInvalid
	case "InternalFailure", "InternalError", "ServiceUnavailable", "ServiceUnavailableException", "InternalServerError":
		return classServerFault
	}
	return classUnknown
}

// logsErrorClass: CloudWatch Logs (cloudwatchlogs/types/errors.go).
func logsErrorClass(code string) errorClass {
	switch code {
	case "LimitExceededException":
		// StartQuery: "You have reached the maximum number of resources"
		// — the account's concurrent-query quota.
		return classQueryQuota
	case "ResourceNotFoundException":
		return classNotFound
	case "InvalidParameterException", "MalformedQueryException", "InvalidOperationException":
		return classInvalid
	case "InternalServerException":
		return classServerFault
	case "ConflictException", "DataAlreadyAcceptedException", "InternalStreamingException", "InvalidSequenceTokenException",
		"OperationAbortedException", "ResourceAlreadyExistsException", "ServiceQuotaExceededException",
		"SessionStreamingException", "SessionTimeoutException", "TooManyTagsException":
		return classWriteSide
	}
	return classUnknown
}

// cloudwatchErrorClass: CloudWatch (cloudwatch/types/errors.go). The API is
// query-compatible: the SDK reports the query protocol's code (ErrorCode
// override) when AWS sends one, so both spellings appear.
func cloudwatchErrorClass(code string) errorClass {
	switch code {
	case "InvalidNextToken", "InvalidFormat", "InvalidFormatFault", "InvalidParameterCombinationException",
		"InvalidParameterValueException", "MissingRequiredParameterException", "DashboardInvalidInputError":
		return classInvalid
	case "ResourceNotFound", "ResourceNotFoundException", "DashboardNotFoundError":
		return classNotFound
	case "LimitExceeded", "LimitExceededException":
		// "The operation exceeded one or more limits": a per-request
		// limit, fixed by asking for less.
		return classRequestLimit
	case "InternalServiceError", "InternalServiceFault":
		return classServerFault
	case "ConcurrentModificationException", "ConflictException", "ResourceConflict",
		"KmsAccessDeniedException", "KmsKeyDisabledException", "KmsKeyNotFoundException", "LimitExceededFault":
		return classWriteSide
	}
	return classUnknown
}

// xrayErrorClass: X-Ray (xray/types/errors.go).
func xrayErrorClass(code string) errorClass {
	switch code {
	case "ThrottledException":
		return classThrottled
	case "InvalidRequestException":
		return classInvalid
	case "ResourceNotFoundException":
		return classNotFound
	case "InvalidPolicyRevisionIdException", "LockoutPreventionException", "MalformedPolicyDocumentException",
		"PolicyCountLimitExceededException", "PolicySizeLimitExceededException", "RuleLimitExceededException",
		"TooManyTagsException":
		return classWriteSide
	}
	return classUnknown
}

// cloudtrailErrorClass: CloudTrail. fa2 calls only LookupEvents, whose
// declared errors (API reference, LookupEvents "Errors") are listed first;
// the service declares many more for its other operations, which fall to
// the unexpected default.
func cloudtrailErrorClass(code string) errorClass {
	switch code {
	case "InvalidTimeRangeException", "InvalidLookupAttributesException", "InvalidNextTokenException",
		"InvalidMaxResultsException", "InvalidEventCategoryException", "InvalidDateRangeException",
		"InvalidParameterException", "InvalidParameterCombinationException":
		return classInvalid
	case "OperationNotPermittedException", "UnsupportedOperationException":
		// "the requested operation is not permitted / not supported".
		return classNotPermitted
	case "CloudTrailInvalidClientTokenIdException":
		return classCredentials
	case "CloudTrailAccessNotEnabledException":
		return classNotEnabled
	}
	return classUnknown
}

// athenaErrorClass: Athena (athena/types/errors.go).
func athenaErrorClass(code string) errorClass {
	switch code {
	case "InvalidRequestException":
		return classInvalid
	case "ResourceNotFoundException":
		return classNotFound
	case "MetadataException", "InternalServerException":
		// MetadataException: the Glue catalog failed to answer.
		return classServerFault
	case "SessionAlreadyExistsException":
		return classWriteSide
	}
	return classUnknown
}

// securityhubErrorClass: Security Hub (securityhub/types/errors.go). Its
// LimitExceededException is request throttling ("The request was rejected
// because it attempted to create resources beyond the current AWS account or
// throttling limits", GetFindings Errors), and InvalidAccessException means
// Security Hub is not enabled for the account.
func securityhubErrorClass(code string) errorClass {
	switch code {
	case "LimitExceededException":
		return classThrottled
	case "InvalidAccessException":
		return classNotEnabled
	case "InvalidInputException":
		return classInvalid
	case "ResourceNotFoundException", "OrganizationNotFoundException", "OrganizationalUnitNotFoundException":
		return classNotFound
	case "InternalException", "InternalServerException":
		return classServerFault
	case "ConflictException", "ResourceConflictException", "ResourceInUseException", "ServiceQuotaExceededException":
		return classWriteSide
	}
	return classUnknown
}

// guarddutyErrorClass: GuardDuty (guardduty/types/errors.go).
func guarddutyErrorClass(code string) errorClass {
	switch code {
	case "BadRequestException":
		return classInvalid
	case "ResourceNotFoundException":
		return classNotFound
	case "InternalServerErrorException":
		return classServerFault
	case "ConflictException":
		return classWriteSide
	}
	return classUnknown
}

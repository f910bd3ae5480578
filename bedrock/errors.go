package bedrock

import (
	"errors"
	"net"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/fa2/fa2/telemetry"
)

// retryable reports whether waiting and asking again may succeed:
// throttling, a busy or unavailable service, a model still loading, a model
// that timed out, and connection failures.
func retryable(err error) bool {
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "ThrottlingException", "ServiceUnavailableException", "ModelNotReadyException",
			"InternalServerException", "ModelTimeoutException", "TooManyRequestsException":
			return true
		}
		return false
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// explain turns an SDK error into a sentence saying what to do.
func (c *Client) explain(model string, err error) error {
	var api smithy.APIError
	if m := err.Error(); !errors.As(err, &api) && (strings.Contains(m, "get credentials") || strings.Contains(m, "retrieve credentials")) {
		return telemetry.Errorf(telemetry.KindAccessDenied, "fa2 found no AWS credentials to call Bedrock with.").
			WithHint("Configure credentials the AWS SDK finds (AWS_PROFILE and aws sso login, environment variables, or a role), allowed bedrock:InvokeModel on " + model + ".")
	}
	if !errors.As(err, &api) {
		return telemetry.Errorf(telemetry.KindUnavailable, "cannot reach Amazon Bedrock in %s: %v.", c.region, err).
			WithHint("Check the network, AWS_ENDPOINT_URL_BEDROCK_RUNTIME if set, and that Bedrock is offered in this region.")
	}
	msg := api.ErrorMessage()
	lower := strings.ToLower(msg)
	switch code := api.ErrorCode(); {
	case code == "AccessDeniedException":
		return telemetry.Errorf(telemetry.KindAccessDenied, "Bedrock denied access to model %s in %s: %s.", model, c.region, strings.TrimSuffix(msg, ".")).
			WithHint("Enable access to this model in the Amazon Bedrock console (Model access) for region " + c.region + ", and allow bedrock:InvokeModel on it (for an inference profile, on the profile and the models it routes to).")
	case code == "UnrecognizedClientException" || code == "ExpiredTokenException" || code == "InvalidSignatureException":
		return telemetry.Errorf(telemetry.KindAccessDenied, "AWS did not accept fa2's credentials for Bedrock: %s.", msg).
			WithHint("Refresh the credentials (aws sso login, or the profile) and try again.")
	case strings.Contains(lower, "inference profile"):
		return telemetry.Errorf(telemetry.KindInvalidInput, "model %s cannot be called directly in %s: %s.", model, c.region, strings.TrimSuffix(msg, ".")).
			WithHint("Use an inference profile id instead, e.g. global." + strings.TrimPrefix(model, "global.") + " or us." + baseModel(model) + ", in bedrock.model_id.")
	case code == "ResourceNotFoundException" || (code == "ValidationException" && (strings.Contains(lower, "model identifier") || strings.Contains(lower, "model id"))):
		return telemetry.Errorf(telemetry.KindNotFound, "Bedrock does not know model %s in %s: %s.", model, c.region, strings.TrimSuffix(msg, ".")).
			WithHint("Check bedrock.model_id against `aws bedrock list-foundation-models` / `list-inference-profiles` in region " + c.region + ", or set bedrock.region to a region that offers it.")
	case code == "ServiceQuotaExceededException":
		return telemetry.Errorf(telemetry.KindLimit, "the Bedrock quota for model %s in %s is exhausted: %s.", model, c.region, strings.TrimSuffix(msg, ".")).
			WithHint("Wait a minute, lower bedrock.agent.max_steps, or ask for a higher tokens-per-minute quota in Service Quotas.")
	case code == "ThrottlingException" || code == "TooManyRequestsException":
		return telemetry.Errorf(telemetry.KindThrottled, "Bedrock kept throttling model %s in %s after %d attempts: %s.", model, c.region, c.Backoff.Attempts, strings.TrimSuffix(msg, ".")).
			WithHint("Try again in a minute, use a cross-region inference profile (global. or us.) to spread load, or raise the quota in Service Quotas.")
	case code == "ModelNotReadyException" || code == "ServiceUnavailableException" || code == "InternalServerException" || code == "ModelTimeoutException":
		return telemetry.Errorf(telemetry.KindUnavailable, "Bedrock could not serve model %s in %s (%s): %s.", model, c.region, code, strings.TrimSuffix(msg, ".")).
			WithHint("Try again in a few minutes; check the AWS Health Dashboard for Bedrock in " + c.region + ".")
	case code == "ValidationException" && (strings.Contains(lower, "max_tokens") || strings.Contains(lower, "maxtokens")):
		return telemetry.Errorf(telemetry.KindInvalidInput, "model %s does not accept bedrock.max_tokens as set: %s.", model, strings.TrimSuffix(msg, ".")).
			WithHint("Lower bedrock.max_tokens (FA2_BEDROCK_MAX_TOKENS) to what the model allows.")
	case code == "ValidationException":
		// A request fa2 built was refused: a bug, but the user needs the
		// message to report it.
		return telemetry.Errorf(telemetry.KindInvalidInput, "Bedrock rejected the request to model %s: %s.", model, strings.TrimSuffix(msg, ".")).
			WithHint("If the model is not a Claude or Nova model, try one; otherwise report this to the fa2 maintainers with --log-level debug output.")
	default:
		return telemetry.Errorf(telemetry.KindUnavailable, "Bedrock failed for model %s in %s (%s): %s.", model, c.region, code, strings.TrimSuffix(msg, "."))
	}
}

// baseModel strips a geography prefix from an inference-profile id.
func baseModel(model string) string {
	for _, p := range []string{"global.", "us.", "eu.", "apac.", "jp.", "au.", "ca.", "us-gov."} {
		if strings.HasPrefix(model, p) {
			return strings.TrimPrefix(model, p)
		}
	}
	return model
}

// errorCode names an error for logs without its message (which may quote
// the request).
func errorCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return "network error"
	}
	return "error"
}

// tooLong reports a request over the model's context window.
func tooLong(err error) bool {
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "ValidationException" {
		var e *telemetry.Error
		if !errors.As(err, &e) || e.Kind != telemetry.KindInvalidInput {
			return false
		}
	}
	m := strings.ToLower(err.Error())
	return strings.Contains(m, "too long") || strings.Contains(m, "context length") || strings.Contains(m, "context window") || strings.Contains(m, "too many input tokens")
}

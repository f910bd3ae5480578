package slackbridge

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
)

// maxBody bounds a request body; Slack's payloads are far smaller.
const maxBody = 1 << 20

// HTTPHandler serves the Events API: events, interactivity and slash
// commands all at POST /slack/events (as Bolt apps do), and GET /healthz.
// Every request must carry a valid signature made with signingSecret and a
// timestamp within five minutes; anything else gets 401 and starts
// nothing. Slack gets its answer at once and the work runs afterwards, so
// no delivery waits on the engine past Slack's 3 seconds.
func (b *Bridge) HTTPHandler(signingSecret string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if !b.Healthy() {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("POST /slack/events", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil || len(body) > maxBody {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err := verify(r.Header, body, signingSecret); err != nil {
			b.log.Warn().Str("remote", r.RemoteAddr).Str("reason", err.Error()).Msg("rejected a Slack request")
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		if !b.Healthy() {
			// Shutting down: Slack retries, and another replica (or this
			// one, restarted) does the work.
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		retry, _ := strconv.Atoi(r.Header.Get("X-Slack-Retry-Num"))
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			b.serveEvent(w, body, retry)
			return
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, "bad form body", http.StatusBadRequest)
			return
		}
		switch {
		case form.Get("payload") != "":
			var cb slack.InteractionCallback
			if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
				http.Error(w, "bad interaction payload", http.StatusBadRequest)
				return
			}
			writeJSON(w, b.onInteraction(cb))
		case form.Get("command") != "":
			cmd := slack.SlashCommand{
				TeamID: form.Get("team_id"), ChannelID: form.Get("channel_id"), ChannelName: form.Get("channel_name"),
				UserID: form.Get("user_id"), UserName: form.Get("user_name"), Command: form.Get("command"),
				Text: form.Get("text"), ResponseURL: form.Get("response_url"), TriggerID: form.Get("trigger_id"),
				APIAppID: form.Get("api_app_id"),
			}
			if m := b.onCommand(cmd); m != nil {
				writeJSON(w, m)
				return
			}
			w.WriteHeader(http.StatusOK)
		default:
			http.Error(w, "neither an event, an interaction nor a command", http.StatusBadRequest)
		}
	})
	return mux
}

// serveEvent answers url_verification, and acks an event callback before
// handling it.
func (b *Bridge) serveEvent(w http.ResponseWriter, body []byte, retry int) {
	var env struct {
		Type      string `json:"type"`
		Challenge string `json:"challenge"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		http.Error(w, "bad JSON", http.StatusBadRequest)
		return
	}
	switch env.Type {
	case "url_verification":
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, env.Challenge)
	case "event_callback":
		w.WriteHeader(http.StatusOK)
		b.goWork("event", func(ctx context.Context) { b.onEventCallback(ctx, body, retry) })
	default:
		w.WriteHeader(http.StatusOK)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	if v == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// verify checks the request's signature and timestamp (slack-go rejects a
// timestamp more than five minutes from now).
func verify(h http.Header, body []byte, secret string) error {
	sv, err := slack.NewSecretsVerifier(h, secret)
	if err != nil {
		return err
	}
	if _, err := sv.Write(body); err != nil {
		return err
	}
	return sv.Ensure()
}

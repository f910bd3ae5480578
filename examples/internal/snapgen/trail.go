package snapgen

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand"
	"path/filepath"
	"sort"
	"time"
)

// TrailRecord is one CloudTrail event as CloudTrail delivers it to S3.
type TrailRecord struct {
	EventVersion        string              `json:"eventVersion"`
	UserIdentity        map[string]any      `json:"userIdentity"`
	EventTime           string              `json:"eventTime"`
	EventSource         string              `json:"eventSource"`
	EventName           string              `json:"eventName"`
	AWSRegion           string              `json:"awsRegion"`
	SourceIPAddress     string              `json:"sourceIPAddress"`
	UserAgent           string              `json:"userAgent"`
	ErrorCode           string              `json:"errorCode,omitempty"`
	ErrorMessage        string              `json:"errorMessage,omitempty"`
	RequestParameters   any                 `json:"requestParameters"`
	ResponseElements    any                 `json:"responseElements"`
	AdditionalData      any                 `json:"additionalEventData,omitempty"`
	ServiceEventDetails any                 `json:"serviceEventDetails,omitempty"`
	RequestID           string              `json:"requestID,omitempty"`
	EventID             string              `json:"eventID"`
	ReadOnly            bool                `json:"readOnly"`
	Resources           []map[string]string `json:"resources,omitempty"`
	EventType           string              `json:"eventType"`
	ManagementEvent     bool                `json:"managementEvent"`
	RecipientAccountID  string              `json:"recipientAccountId"`
	EventCategory       string              `json:"eventCategory"`
	SessionCredential   string              `json:"sessionCredentialFromConsole,omitempty"`
	When                time.Time           `json:"-"`
}

// Trail collects the CloudTrail events of one account and region.
type Trail struct {
	R       *rand.Rand
	Account string
	Region  string
	Records []*TrailRecord
	// EventVersion is written in every record; "" is 1.11.
	EventVersion string
	// FilePeriod is how much time one delivered file covers; 0 is five
	// minutes, as CloudTrail delivers.
	FilePeriod time.Duration
}

// NewTrail starts an empty trail.
func NewTrail(seed int64, account, region string) *Trail {
	return &Trail{R: NewRand(seed), Account: account, Region: region}
}

// Add records one API call; the returned record can be adjusted (errors,
// resources, event type) before writing.
func (t *Trail) Add(at time.Time, source, name string, who map[string]any, ip, agent string, readOnly bool, params, response any) *TrailRecord {
	rec := &TrailRecord{
		EventVersion: cmp.Or(t.EventVersion, "1.11"), UserIdentity: who, EventTime: at.UTC().Format("2006-01-02T15:04:05Z"), EventSource: source, EventName: name,
		AWSRegion: t.Region, SourceIPAddress: ip, UserAgent: agent, RequestParameters: params, ResponseElements: response,
		RequestID: UUID(t.R), EventID: UUID(t.R), ReadOnly: readOnly, EventType: "AwsApiCall", ManagementEvent: true,
		RecipientAccountID: t.Account, EventCategory: "Management", When: at,
	}
	t.Records = append(t.Records, rec)
	return rec
}

// AddServiceEvent records an event AWS emits on its own (AwsServiceEvent),
// such as a scheduled secret rotation starting.
func (t *Trail) AddServiceEvent(at time.Time, source, name, service string, details any) *TrailRecord {
	rec := t.Add(at, source, name, map[string]any{"accountId": t.Account, "invokedBy": service}, service, service, false, nil, nil)
	rec.EventType = "AwsServiceEvent"
	rec.RequestID = ""
	rec.ServiceEventDetails = details
	return rec
}

// AssumedRole is the identity of a session of an IAM role; invokedBy names
// the AWS service that made the call for it ("" for the caller itself).
func (t *Trail) AssumedRole(role, session, invokedBy string) map[string]any {
	id := map[string]any{
		"type":        "AssumedRole",
		"principalId": "AROA" + HexUpper(NewRand(int64(len(role))*7919), 17) + ":" + session,
		"arn":         fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", t.Account, role, session),
		"accountId":   t.Account,
		"accessKeyId": "ASIA" + HexUpper(t.R, 16),
		"sessionContext": map[string]any{
			"sessionIssuer": map[string]any{"type": "Role", "principalId": "AROA" + HexUpper(NewRand(int64(len(role))*7919), 17),
				"arn": fmt.Sprintf("arn:aws:iam::%s:role/%s", t.Account, role), "accountId": t.Account, "userName": role},
			"attributes": map[string]any{"creationDate": "2026-11-24T00:00:00Z", "mfaAuthenticated": "false"},
		},
	}
	if invokedBy != "" {
		id["invokedBy"] = invokedBy
	}
	return id
}

// ServiceLinkedRole is a session of an AWS service-linked role, as when
// Application Auto Scaling or ECS acts on your resources.
func (t *Trail) ServiceLinkedRole(role, session, service string) map[string]any {
	id := t.AssumedRole("aws-service-role/"+service+"/"+role, session, service)
	id["arn"] = fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", t.Account, role, session)
	sc := id["sessionContext"].(map[string]any)
	sc["sessionIssuer"].(map[string]any)["arn"] = fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/%s/%s", t.Account, service, role)
	sc["sessionIssuer"].(map[string]any)["userName"] = role
	return id
}

// IAMUser is an IAM user calling with an access key (CLI, SDK).
func (t *Trail) IAMUser(name string) map[string]any {
	return map[string]any{
		"type": "IAMUser", "principalId": "AIDA" + HexUpper(NewRand(int64(len(name))*104729), 17),
		"arn": fmt.Sprintf("arn:aws:iam::%s:user/%s", t.Account, name), "accountId": t.Account,
		"accessKeyId": "AKIA" + HexUpper(NewRand(int64(len(name))*15485863), 16), "userName": name,
	}
}

// ConsoleUser is an IAM user working in the AWS console: temporary
// credentials issued at sign-in, MFA, and invokedBy signin.amazonaws.com.
func (t *Trail) ConsoleUser(name string, signedIn time.Time) map[string]any {
	id := t.IAMUser(name)
	id["accessKeyId"] = "ASIA" + HexUpper(t.R, 16)
	id["invokedBy"] = "signin.amazonaws.com"
	id["sessionContext"] = map[string]any{"attributes": map[string]any{"creationDate": signedIn.UTC().Format("2006-01-02T15:04:05Z"), "mfaAuthenticated": "true"}}
	return id
}

// AWSService is the identity of an AWS service acting on its own.
func AWSService(service string) map[string]any {
	return map[string]any{"type": "AWSService", "invokedBy": service}
}

// Write delivers the records in files of FilePeriod, named as CloudTrail
// names them, gzipped, under dir/cloudtrail.
func (t *Trail) Write(dir string) error {
	period := cmp.Or(t.FilePeriod, 5*time.Minute)
	sort.SliceStable(t.Records, func(i, j int) bool { return t.Records[i].When.Before(t.Records[j].When) })
	files := map[time.Time][]*TrailRecord{}
	var keys []time.Time
	for _, rec := range t.Records {
		k := rec.When.Truncate(period)
		if _, ok := files[k]; !ok {
			keys = append(keys, k)
		}
		files[k] = append(files[k], rec)
	}
	for _, start := range keys {
		var buf bytes.Buffer
		if err := json.NewEncoder(&buf).Encode(map[string]any{"Records": files[start]}); err != nil {
			return err
		}
		end := start.Add(period)
		name := fmt.Sprintf("%s_CloudTrail_%s_%s_%s.json.gz", t.Account, t.Region, end.Format("20060102T1504Z"), HexID(NewRand(end.Unix()), 16))
		if err := WriteGzip(filepath.Join(dir, "cloudtrail", name), buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

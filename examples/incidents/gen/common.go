package gen

import (
	"fmt"
	"time"

	"github.com/fa2/fa2/examples/internal/snapgen"
)

// User agents seen in the trails.
const (
	cliAgent     = "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.1 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#"
	consoleAgent = "AWS Internal"
	tfAgent      = "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.76.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64"
	ghaAgent     = "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.1 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/GitHub-Actions cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#"
	grafanaAgent = "Grafana/11.3.1 AWS-SDK-Go/1.55.5 (go1.22.7; linux; amd64)"
	ssmAgent     = "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) amazon-ssm-agent/3.3.1142.0"
)

// trailNoise is the background every account has: dashboards reading
// metrics, the SSM agent reporting in (a write API, on every instance, all
// day), Lambda roles decrypting environment variables, and CI reading state.
// perMinute sets how busy the account is.
func (w *world) trailNoise(perMinute float64) {
	t := w.trail
	grafana := t.AssumedRole("grafana-cloudwatch-read", "grafana", "")
	ssmRole := t.AssumedRole("ec2-ssm-core", "i-0"+snapgen.HexID(w.r, 16), "")
	ci := t.AssumedRole("ci-readonly", "gha-run-"+fmt.Sprint(88000+w.r.Intn(999)), "")
	instances := []string{"i-0b7c1d2e3f4a5b6c7", "i-03f9a8e7d6c5b4a32", "i-0a1b2c3d4e5f60718", "i-0c9d8e7f6a5b4c3d2"}
	w.arrivals(perMinute/60, func(at time.Time) {
		switch w.r.Intn(10) {
		case 0, 1, 2:
			t.Add(at, "monitoring.amazonaws.com", "GetMetricData", grafana, "52.7.18.201", grafanaAgent, true,
				map[string]any{"startTime": at.Add(-time.Hour).Format("Jan 2, 2006, 3:04:05 PM"), "endTime": at.Format("Jan 2, 2006, 3:04:05 PM"), "scanBy": "TimestampDescending"}, nil)
		case 3:
			t.Add(at, "monitoring.amazonaws.com", "DescribeAlarms", grafana, "52.7.18.201", grafanaAgent, true, map[string]any{"maxRecords": 100}, nil)
		case 4, 5:
			id := instances[w.r.Intn(len(instances))]
			t.Add(at, "ssm.amazonaws.com", "UpdateInstanceInformation", ssmRole, "10.0.3."+fmt.Sprint(10+w.r.Intn(40)), ssmAgent, false,
				map[string]any{"instanceId": id, "agentVersion": "3.3.1142.0", "agentStatus": "Active", "platformType": "Linux", "platformName": "Amazon Linux", "platformVersion": "2023", "iPAddress": "10.0.3.21", "computerName": "ip-10-0-3-21.ec2.internal", "agentName": "amazon-ssm-agent", "availabilityZone": "us-east-1a", "availabilityZoneId": "use1-az4"}, nil)
		case 6, 7:
			rec := t.Add(at, "kms.amazonaws.com", "Decrypt", t.AssumedRole("lambda-basic-execution", "stock-sync", ""), "lambda.amazonaws.com", "lambda.amazonaws.com", true,
				map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": map[string]string{"aws:lambda:FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:stock-sync"}}, nil)
			rec.Resources = []map[string]string{{"accountId": account, "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:us-east-1:123456789012:key/8d2f3c4b-1a9e-4f7d-b6c5-0e1d2c3b4a59"}}
		case 8:
			t.Add(at, "s3.amazonaws.com", "GetBucketLocation", ci, "140.82.112.4", ghaAgent+"s3.ls", true, map[string]any{"bucketName": "acme-terraform-state", "location": "", "Host": "acme-terraform-state.s3.amazonaws.com"}, nil)
		default:
			t.Add(at, "sts.amazonaws.com", "GetCallerIdentity", ci, "140.82.112.4", ghaAgent+"sts.get-caller-identity", true, nil, nil)
		}
	})
}

// fn is a Lambda function of a story.
type fn struct {
	name, runtime string
	memoryMB      int
	version       string
	group         string
	invocations   *snapgen.Series
	errors        *snapgen.Series
	duration      *snapgen.Series
	throttles     *snapgen.Series
	stream        string
}

func (w *world) lambda(name, runtime string, memoryMB int) *fn {
	f := &fn{name: name, runtime: runtime, memoryMB: memoryMB, version: "$LATEST", group: "/aws/lambda/" + name}
	f.invocations = w.metric("AWS/Lambda", "Invocations", "Count", true, "FunctionName", name)
	f.errors = w.metric("AWS/Lambda", "Errors", "Count", true, "FunctionName", name)
	f.throttles = w.metric("AWS/Lambda", "Throttles", "Count", true, "FunctionName", name)
	f.duration = w.metric("AWS/Lambda", "Duration", "Milliseconds", false, "FunctionName", name)
	return f
}

// logLine is one line a function writes during an invocation.
type logLine struct {
	after time.Duration
	level string
	msg   string
}

// invoke is one invocation as the Lambda runtime logs it: START, the
// function's own lines, END and REPORT, in an execution environment's
// stream that changes every twenty minutes. failed marks an error.
func (w *world) invoke(f *fn, at time.Time, d time.Duration, failed bool, lines ...logLine) string {
	id := snapgen.UUID(w.r)
	stream := at.Format("2006/01/02") + "/[" + f.version + "]" + snapgen.HexID(snapgen.NewRand(at.Unix()/1200+int64(len(f.name))), 32)
	w.logs.Add(f.group, stream, at, fmt.Sprintf("START RequestId: %s Version: %s", id, f.version))
	for _, l := range lines {
		lt := at.Add(l.after)
		if f.runtime == "python3.12" {
			w.logs.Add(f.group, stream, lt, fmt.Sprintf("[%s]\t%s\t%s\t%s", l.level, lt.UTC().Format("2006-01-02T15:04:05.000Z"), id, l.msg))
		} else {
			w.logs.Add(f.group, stream, lt, fmt.Sprintf("%s\t%s\t%s\t%s", lt.UTC().Format("2006-01-02T15:04:05.000Z"), id, l.level, l.msg))
		}
	}
	end := at.Add(d)
	ms := float64(d.Microseconds()) / 1000
	w.logs.Add(f.group, stream, end, fmt.Sprintf("END RequestId: %s", id))
	w.logs.Add(f.group, stream, end, fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB", id, ms, int(ms)+1, f.memoryMB, f.memoryMB/3+w.r.Intn(12)))
	f.invocations.Add(at, 1)
	f.duration.Add(at, snapgen.Round3(ms))
	if failed {
		f.errors.Add(at, 1)
	}
	return id
}

// securityHubControl is a failed Security Hub control: standing state
// every account has, unrelated to the incident.
func (w *world) securityHubControl(controlID, title, severity, resType, resID string, updated time.Time) {
	id := snapgen.UUID(snapgen.NewRand(int64(len(controlID + resID))))
	first := updated.Add(-41 * 24 * time.Hour)
	w.findings = append(w.findings, map[string]any{
		"SchemaVersion": "2018-10-08", "Id": "arn:aws:securityhub:us-east-1:123456789012:security-control/" + controlID + "/finding/" + id,
		"ProductArn": "arn:aws:securityhub:us-east-1::product/aws/securityhub", "ProductName": "Security Hub", "CompanyName": "AWS", "Region": region,
		"GeneratorId": "security-control/" + controlID, "AwsAccountId": account,
		"Types":           []string{"Software and Configuration Checks/Industry and Regulatory Standards"},
		"FirstObservedAt": first.Format("2006-01-02T15:04:05.000Z"), "LastObservedAt": updated.Format("2006-01-02T15:04:05.000Z"),
		"CreatedAt": first.Format("2006-01-02T15:04:05.000Z"), "UpdatedAt": updated.Format("2006-01-02T15:04:05.000Z"),
		"Severity": map[string]any{"Label": severity, "Original": severity}, "Title": title, "Description": title + ".",
		"Resources":     []map[string]any{{"Type": resType, "Id": resID, "Partition": "aws", "Region": region}},
		"Compliance":    map[string]any{"Status": "FAILED", "SecurityControlId": controlID},
		"WorkflowState": "NEW", "Workflow": map[string]string{"Status": "NEW"}, "RecordState": "ACTIVE",
	})
}

// autoscalingRole is Application Auto Scaling acting through its
// service-linked role for one kind of resource.
func (w *world) autoscalingRole(kind string) map[string]any {
	return w.trail.ServiceLinkedRole("AWSServiceRoleForApplicationAutoScaling_"+kind, "AutoScaling-"+kind, "application-autoscaling.amazonaws.com")
}

// dynamoAutoscale is Application Auto Scaling changing a table's
// provisioned capacity: a change AWS makes for you.
func (w *world) dynamoAutoscale(at time.Time, table string, rcu, wcu int) *snapgen.TrailRecord {
	rec := w.trail.Add(at, "dynamodb.amazonaws.com", "UpdateTable", w.autoscalingRole("DynamoDBTable"), "application-autoscaling.amazonaws.com", "application-autoscaling.amazonaws.com", false,
		map[string]any{"tableName": table, "provisionedThroughput": map[string]int{"readCapacityUnits": rcu, "writeCapacityUnits": wcu}},
		map[string]any{"tableDescription": map[string]any{"tableName": table, "tableStatus": "UPDATING", "tableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/" + table}})
	rec.Resources = []map[string]string{{"accountId": account, "type": "AWS::DynamoDB::Table", "ARN": "arn:aws:dynamodb:us-east-1:123456789012:table/" + table}}
	return rec
}

// ecsAutoscale is Application Auto Scaling changing a service's desired
// count.
func (w *world) ecsAutoscale(at time.Time, cluster, service string, desired int) *snapgen.TrailRecord {
	return w.trail.Add(at, "ecs.amazonaws.com", "UpdateService", w.autoscalingRole("ECSService"), "application-autoscaling.amazonaws.com", "application-autoscaling.amazonaws.com", false,
		map[string]any{"cluster": cluster, "service": service, "desiredCount": desired},
		map[string]any{"service": map[string]any{"serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/" + cluster + "/" + service, "serviceName": service, "desiredCount": desired, "status": "ACTIVE"}})
}

// rotateSecret is Secrets Manager rotating a secret on its schedule: the
// RotateSecret call the service makes, the rotation function's writes and
// RotationSucceeded. It returns the RotateSecret record.
func (w *world) rotateSecret(at time.Time, secretARN, rotationFn string) *snapgen.TrailRecord {
	t := w.trail
	rec := t.Add(at, "secretsmanager.amazonaws.com", "RotateSecret", snapgen.AWSService("secretsmanager.amazonaws.com"), "secretsmanager.amazonaws.com", "secretsmanager.amazonaws.com", false,
		map[string]any{"secretId": secretARN, "clientRequestToken": snapgen.UUID(w.r), "rotateImmediately": true}, nil)
	rec.Resources = []map[string]string{{"accountId": account, "type": "AWS::SecretsManager::Secret", "ARN": secretARN}}
	fnRole := t.AssumedRole("SecretsManagerRotation-"+rotationFn, rotationFn, "")
	token := snapgen.UUID(w.r)
	t.Add(at.Add(2*time.Second), "secretsmanager.amazonaws.com", "GetRandomPassword", fnRole, "34.229.12.7", "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#5.10.228-240.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12", true,
		map[string]any{"passwordLength": 32, "excludeCharacters": "/@\"'\\"}, nil)
	t.Add(at.Add(3*time.Second), "secretsmanager.amazonaws.com", "PutSecretValue", fnRole, "34.229.12.7", "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux exec-env/AWS_Lambda_python3.12", false,
		map[string]any{"secretId": secretARN, "clientRequestToken": token, "versionStages": []string{"AWSPENDING"}}, map[string]any{"arn": secretARN, "versionId": token, "versionStages": []string{"AWSPENDING"}})
	t.Add(at.Add(6*time.Second), "secretsmanager.amazonaws.com", "UpdateSecretVersionStage", fnRole, "34.229.12.7", "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux exec-env/AWS_Lambda_python3.12", false,
		map[string]any{"secretId": secretARN, "versionStage": "AWSCURRENT", "moveToVersionId": token, "removeFromVersionId": snapgen.UUID(w.r)}, nil)
	t.AddServiceEvent(at.Add(7*time.Second), "secretsmanager.amazonaws.com", "RotationSucceeded", "secretsmanager.amazonaws.com", map[string]any{"SecretId": secretARN})
	return rec
}

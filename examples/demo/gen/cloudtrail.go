package main

import (
	"fmt"
	"time"

	"github.com/fa2/fa2/examples/internal/snapgen"
)

func init() { generators = append(generators, generator{"cloudtrail", genCloudTrail}) }

const (
	cliAgent      = "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.1 os/linux#5.10.227-219.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/AWS_ECS_EC2 cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2 md/prompt#off"
	consoleAgent  = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	aliceIP       = "198.51.100.24"
	codebuildIP   = "3.91.171.22"
	taskRoleARN   = "arn:aws:iam::123456789012:role/checkout-api-task"
	execRoleARN   = "arn:aws:iam::123456789012:role/checkout-api-task-execution"
	ecrImage      = "123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout-api:2.14.0"
	checkoutTGARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:" + targetGroup
	serviceARN    = "arn:aws:ecs:us-east-1:123456789012:service/prod/checkout-api"
)

// assumedRole is the identity of a session of an IAM role.
func assumedRole(b *snapgen.Trail, role, session string, invokedBy string) map[string]any {
	id := map[string]any{
		"type":        "AssumedRole",
		"principalId": "AROA" + hexUpper(b.R, 17) + ":" + session,
		"arn":         fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", accountID, role, session),
		"accountId":   accountID,
		"accessKeyId": "ASIA" + hexUpper(b.R, 16),
		"sessionContext": map[string]any{
			"sessionIssuer": map[string]any{"type": "Role", "principalId": "AROA" + hexUpper(newRand(int64(len(role))), 17),
				"arn": fmt.Sprintf("arn:aws:iam::%s:role/%s", accountID, role), "accountId": accountID, "userName": role},
			"attributes": map[string]any{"creationDate": windowStart.Add(-10 * time.Minute).Format("2006-01-02T15:04:05Z"), "mfaAuthenticated": "false"},
		},
	}
	if invokedBy != "" {
		id["invokedBy"] = invokedBy
	}
	return id
}

func alice(b *snapgen.Trail) map[string]any {
	return map[string]any{
		"type": "IAMUser", "principalId": "AIDAQ3EGR7PLX4EXAMPLE", "arn": rollbackUser, "accountId": accountID,
		"accessKeyId": "ASIA" + hexUpper(b.R, 16), "userName": "alice",
		"sessionContext": map[string]any{"attributes": map[string]any{"creationDate": "2026-11-20T09:31:12Z", "mfaAuthenticated": "true"}},
	}
}

// taskDefinitionRequest is RegisterTaskDefinition's request for a revision
// whose DB_PASSWORD comes from secretARN.
func taskDefinitionRequest(secretARN string) map[string]any {
	return map[string]any{
		"family": "checkout-api", "taskRoleArn": taskRoleARN, "executionRoleArn": execRoleARN,
		"networkMode": "awsvpc", "requiresCompatibilities": []string{"FARGATE"}, "cpu": "1024", "memory": "2048",
		"containerDefinitions": []map[string]any{{
			"name": "checkout-api", "image": ecrImage, "essential": true,
			"portMappings": []map[string]any{{"containerPort": 8080, "protocol": "tcp"}},
			"environment": []map[string]string{
				{"name": "SPRING_PROFILES_ACTIVE", "value": "prod"},
				{"name": "DB_HOST", "value": dbEndpoint},
				{"name": "DB_USER", "value": dbUser},
			},
			"secrets": []map[string]string{{"name": "DB_PASSWORD", "valueFrom": secretARN}},
			"logConfiguration": map[string]any{"logDriver": "awslogs", "options": map[string]string{
				"awslogs-group": checkoutGroup, "awslogs-region": region, "awslogs-stream-prefix": "ecs"}},
		}},
	}
}

func genCloudTrail(dir string) error {
	// CloudTrail delivers a file about every five minutes; the demo uses
	// one per quarter hour to stay small.
	b := &snapgen.Trail{R: newRand(4), Account: accountID, Region: region, EventVersion: "1.10", FilePeriod: 15 * time.Minute}
	deployStory(b)
	rollbackStory(b)
	ecsActivity(b)
	trailNoise(b)
	return b.Write(dir)
}

// deployStory is the pipeline's deploy of revision 42 with the staging secret.
func deployStory(b *snapgen.Trail) {
	sess := "codebuild-checkout-api-7781"
	codebuild := snapgen.AWSService("codebuild.amazonaws.com")
	b.Add(registerTaskDefAt.Add(-18*time.Second), "sts.amazonaws.com", "AssumeRole", codebuild, "codebuild.amazonaws.com", "codebuild.amazonaws.com", true,
		map[string]any{"roleArn": "arn:aws:iam::123456789012:role/deploy-pipeline", "roleSessionName": sess, "durationSeconds": 3600},
		map[string]any{"credentials": map[string]string{"accessKeyId": "ASIA" + hexUpper(b.R, 16), "expiration": "Nov 20, 2026, 10:19:47 AM"}}).
		Resources = []map[string]string{{"accountId": accountID, "type": "AWS::IAM::Role", "ARN": "arn:aws:iam::123456789012:role/deploy-pipeline"}}
	who := assumedRole(b, "deploy-pipeline", sess, "")
	b.Add(registerTaskDefAt.Add(-6*time.Second), "ecs.amazonaws.com", "DescribeTaskDefinition", who, codebuildIP, cliAgent+" md/command#ecs.describe-task-definition", true,
		map[string]any{"taskDefinition": "checkout-api"}, nil)
	b.Add(registerTaskDefAt, "ecs.amazonaws.com", "RegisterTaskDefinition", who, codebuildIP, cliAgent+" md/command#ecs.register-task-definition", false,
		taskDefinitionRequest(badSecretARN),
		map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/" + badTaskDef, "family": "checkout-api", "revision": 42, "status": "ACTIVE"}})
	b.Add(updateServiceAt, "ecs.amazonaws.com", "UpdateService", who, codebuildIP, cliAgent+" md/command#ecs.update-service", false,
		map[string]any{"cluster": clusterName, "service": serviceName, "taskDefinition": badTaskDef, "forceNewDeployment": false},
		map[string]any{"service": map[string]any{"serviceArn": serviceARN, "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/" + badTaskDef, "desiredCount": 2}})
	b.Add(updateServiceAt.Add(9*time.Second), "ecs.amazonaws.com", "DescribeServices", who, codebuildIP, cliAgent+" md/command#ecs.wait", true,
		map[string]any{"cluster": clusterName, "services": []string{serviceName}}, nil)
}

// rollbackStory is alice signing in, looking, and rolling back to revision 41.
func rollbackStory(b *snapgen.Trail) {
	signin := b.Add(time.Date(2026, 11, 20, 9, 31, 12, 0, time.UTC), "signin.amazonaws.com", "ConsoleLogin", alice(b), aliceIP, consoleAgent, false, nil,
		map[string]string{"ConsoleLogin": "Success"})
	signin.EventType = "AwsConsoleSignIn"
	for _, at := range []time.Time{time.Date(2026, 11, 20, 9, 32, 40, 0, time.UTC), time.Date(2026, 11, 20, 9, 36, 2, 0, time.UTC), time.Date(2026, 11, 20, 9, 44, 18, 0, time.UTC)} {
		b.Add(at, "ecs.amazonaws.com", "DescribeServices", alice(b), aliceIP, consoleAgent, true,
			map[string]any{"cluster": clusterName, "services": []string{serviceName}, "include": []string{"TAGS"}}, nil)
	}
	b.Add(time.Date(2026, 11, 20, 9, 38, 5, 0, time.UTC), "ecs.amazonaws.com", "DescribeTaskDefinition", alice(b), aliceIP, consoleAgent, true,
		map[string]any{"taskDefinition": badTaskDef}, nil)
	b.Add(time.Date(2026, 11, 20, 9, 45, 51, 0, time.UTC), "ecs.amazonaws.com", "DescribeTaskDefinition", alice(b), aliceIP, consoleAgent, true,
		map[string]any{"taskDefinition": goodTaskDef}, nil)
	b.Add(rollbackAt, "ecs.amazonaws.com", "UpdateService", alice(b), aliceIP, consoleAgent, false,
		map[string]any{"cluster": clusterName, "service": serviceName, "taskDefinition": goodTaskDef, "forceNewDeployment": false},
		map[string]any{"service": map[string]any{"serviceArn": serviceARN, "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/" + goodTaskDef, "desiredCount": 2}})
}

// ecsActivity is what ECS does for each task that starts or stops in the
// window: its execution role fetches the DB secret (the staging one for
// revision 42: a clue) and creates its log stream, and the ECS service role
// registers and deregisters it with the target group.
func ecsActivity(b *snapgen.Trail) {
	ecsRole := assumedRole(b, "AWSServiceRoleForECS", "ecs-service-scheduler", "ecs.amazonaws.com")
	for _, tk := range tasks {
		if !tk.from.Before(windowStart) && tk.from.Before(windowEnd) {
			secret := goodSecretARN
			if tk.taskDef == badTaskDef {
				secret = badSecretARN
			}
			exec := assumedRole(b, "checkout-api-task-execution", tk.id, "ecs-tasks.amazonaws.com")
			b.Add(tk.from.Add(-24*time.Second), "secretsmanager.amazonaws.com", "GetSecretValue", exec, "ecs-tasks.amazonaws.com", "ecs-tasks.amazonaws.com", true,
				map[string]string{"secretId": secret}, nil).Resources = []map[string]string{{"accountId": accountID, "type": "AWS::SecretsManager::Secret", "ARN": secret}}
			b.Add(tk.from.Add(-14*time.Second), "logs.amazonaws.com", "CreateLogStream", exec, tk.ip, "aws-sdk-go/1.44.0 (go1.22; linux; amd64) amazon-ecs-agent", false,
				map[string]string{"logGroupName": checkoutGroup, "logStreamName": "ecs/checkout-api/" + tk.id}, nil)
			b.Add(tk.from.Add(-2*time.Second), "elasticloadbalancing.amazonaws.com", "RegisterTargets", ecsRole, "ecs.amazonaws.com", "ecs.amazonaws.com", false,
				map[string]any{"targetGroupArn": checkoutTGARN, "targets": []map[string]any{{"id": tk.ip, "port": 8080}}}, nil)
		}
		if !tk.until.Before(windowStart) && tk.until.Before(windowEnd) {
			b.Add(tk.until, "elasticloadbalancing.amazonaws.com", "DeregisterTargets", ecsRole, "ecs.amazonaws.com", "ecs.amazonaws.com", false,
				map[string]any{"targetGroupArn": checkoutTGARN, "targets": []map[string]any{{"id": tk.ip, "port": 8080}}}, nil)
		}
	}
}

// trailNoise is the healthy background: dashboards polling metrics, the cart
// API refreshing its secret, an analytics export writing to S3 (data
// events) and a CI job denied a permission it never had.
func trailNoise(b *snapgen.Trail) {
	grafana := assumedRole(b, "grafana-cloudwatch-read", "grafana", "")
	for t := windowStart.Add(7 * time.Second); t.Before(windowEnd); t = t.Add(time.Minute) {
		b.Add(t.Add(time.Duration(b.R.Intn(3000))*time.Millisecond), "monitoring.amazonaws.com", "GetMetricData", grafana, "52.7.18.201", "Grafana/11.3.1 AWS-SDK-Go/1.55.5", true,
			map[string]any{"startTime": t.Add(-time.Hour).Format("Jan 2, 2006, 3:04:05 PM"), "endTime": t.Format("Jan 2, 2006, 3:04:05 PM"), "scanBy": "TimestampDescending"}, nil)
		if t.Minute()%5 == 0 {
			b.Add(t.Add(20*time.Second), "monitoring.amazonaws.com", "DescribeAlarms", grafana, "52.7.18.201", "Grafana/11.3.1 AWS-SDK-Go/1.55.5", true,
				map[string]any{"maxRecords": 100}, nil)
		}
	}
	cartSecret := "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/cart/redis-Pq83Vb"
	cart := assumedRole(b, "cart-api-task", "0d1c2b3a4f5e46d7a8b9c0d1e2f3a4b5", "")
	for t := windowStart.Add(4 * time.Minute); t.Before(windowEnd); t = t.Add(15 * time.Minute) {
		b.Add(t, "secretsmanager.amazonaws.com", "GetSecretValue", cart, "10.0.1.45", "aws-sdk-go-v2/1.32.4 os/linux lang/go#1.23.3 api/secretsmanager#1.34.5", true,
			map[string]string{"secretId": cartSecret}, nil).Resources = []map[string]string{{"accountId": accountID, "type": "AWS::SecretsManager::Secret", "ARN": cartSecret}}
	}
	export := assumedRole(b, "analytics-export", "export-job", "")
	for i, t := range []time.Time{windowStart.Add(10 * time.Minute), windowStart.Add(25 * time.Minute), windowStart.Add(40 * time.Minute), windowStart.Add(55 * time.Minute)} {
		key := fmt.Sprintf("exports/orders/dt=2026-11-20/part-%05d.parquet", i)
		rec := b.Add(t.Add(3*time.Second), "s3.amazonaws.com", "PutObject", export, "10.0.3.18", "aws-sdk-java/2.29.6 Linux/5.10 OpenJDK_64-Bit_Server_VM/21.0.5", false,
			map[string]any{"bucketName": "acme-analytics-exports", "key": key, "Host": "acme-analytics-exports.s3.us-east-1.amazonaws.com"}, nil)
		rec.EventCategory, rec.ManagementEvent = "Data", false
		rec.Resources = []map[string]string{
			{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::acme-analytics-exports/" + key},
			{"accountId": accountID, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::acme-analytics-exports"},
		}
	}
	ci := assumedRole(b, "ci-nightly-tests", "gha-run-88121", "")
	denied := b.Add(time.Date(2026, 11, 20, 9, 7, 12, 0, time.UTC), "ssm.amazonaws.com", "PutParameter", ci, "140.82.112.4", "aws-sdk-js/3.693.0 ua/2.1 os/linux#6.5.0 lang/js md/nodejs#20.18.0 api/ssm#3.693.0", false,
		map[string]any{"name": "/ci/last-run", "type": "String", "overwrite": true}, nil)
	denied.ErrorCode = "AccessDeniedException"
	denied.ErrorMessage = "User: arn:aws:sts::123456789012:assumed-role/ci-nightly-tests/gha-run-88121 is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter/ci/last-run because no identity-based policy allows the ssm:PutParameter action"
}

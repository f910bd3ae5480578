package main

import (
	"fmt"
	"time"
)

// routine describes the background traffic every account has: services
// assuming roles, reading parameters and keys, monitoring integrations
// describing everything, CI deploying other services.
type routine struct {
	appRoles     []*Principal // task and function roles making data-plane calls
	kmsKey       string       // key id used by routine Decrypts
	params       []string     // SSM parameter names
	secrets      []string
	monitor      *Principal
	ci           *Principal // CI role used for deploys of other services
	ciDeploys    []deploy
	lambdaFns    []string // functions whose log streams rotate
	ecsCluster   string
	assumeFrom   string // ecs-tasks.amazonaws.com or lambda.amazonaws.com
	assumeRoles  []string
	readsPerMin  float64
	extraReads   []func(t time.Time)
	metricSpaces []string
}

type deploy struct {
	at      time.Time
	service string
	family  string
	rev     int
}

func (in *Inc) routineCT(r routine) {
	rate := r.readsPerMin
	if rate == 0 {
		rate = 4
	}
	gap := time.Duration(float64(time.Minute) / rate)
	keyArn := "arn:aws:kms:" + in.Region + ":" + in.Account + ":key/" + r.kmsKey
	in.every(in.Start, in.End, gap, func(t time.Time) {
		p := r.appRoles[in.rng.IntN(len(r.appRoles))]
		switch in.rng.IntN(6) {
		case 0, 1:
			in.ev(t, p, "kms", "Decrypt", map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": map[string]any{"SecretARN": "arn:aws:secretsmanager:" + in.Region + ":" + in.Account + ":secret:" + r.secrets[0]}}, nil,
				map[string]any{"resources": []map[string]any{{"accountId": in.Account, "type": "AWS::KMS::Key", "ARN": keyArn}}, "sourceIPAddress": "secretsmanager.amazonaws.com", "userAgent": "secretsmanager.amazonaws.com"})
		case 2:
			in.ev(t, p, "ssm", "GetParameter", map[string]any{"name": r.params[in.rng.IntN(len(r.params))], "withDecryption": true}, nil)
		case 3:
			in.ev(t, p, "secretsmanager", "GetSecretValue", map[string]any{"secretId": r.secrets[in.rng.IntN(len(r.secrets))]}, nil)
		case 4:
			role := r.assumeRoles[in.rng.IntN(len(r.assumeRoles))]
			in.ev(t, in.svc(r.assumeFrom), "sts", "AssumeRole",
				map[string]any{"roleArn": "arn:aws:iam::" + in.Account + ":role/" + role, "roleSessionName": in.hex(32)},
				map[string]any{"credentials": map[string]any{"accessKeyId": "ASIA" + in.alnum(16), "sessionToken": "IQoJb3JpZ2luX2VjE" + in.alnum(40), "expiration": t.Add(6 * time.Hour).UTC().Format("Jan 2, 2006, 3:04:05 PM")}},
				map[string]any{"resources": []map[string]any{{"accountId": in.Account, "type": "AWS::IAM::Role", "ARN": "arn:aws:iam::" + in.Account + ":role/" + role}}, "sharedEventID": in.uuid()})
		case 5:
			if len(r.metricSpaces) > 0 {
				in.ev(t, p, "monitoring", "PutMetricData", map[string]any{"namespace": r.metricSpaces[in.rng.IntN(len(r.metricSpaces))], "metricData": "HIDDEN_DUE_TO_SECURITY_REASONS"}, nil)
			} else {
				in.ev(t, p, "sts", "GetCallerIdentity", nil, nil)
			}
		}
	})
	// Monitoring integration polls describe APIs every minute or so.
	if r.monitor != nil {
		calls := [][3]string{
			{"ec2", "DescribeInstances", ""}, {"elasticloadbalancing", "DescribeTargetHealth", ""}, {"ecs", "ListClusters", ""},
			{"rds", "DescribeDBInstances", ""}, {"elasticache", "DescribeCacheClusters", ""}, {"lambda", "ListFunctions20150331", ""},
			{"monitoring", "GetMetricData", ""}, {"tag", "GetResources", ""}, {"sqs", "ListQueues", ""}, {"ec2", "DescribeVolumes", ""},
			{"autoscaling", "DescribeAutoScalingGroups", ""}, {"apigateway", "GetRestApis", ""}, {"cloudfront", "ListDistributions", ""},
		}
		in.every(in.Start, in.End, 25*time.Second, func(t time.Time) {
			c := calls[in.rng.IntN(len(calls))]
			var req any
			if c[1] == "DescribeInstances" {
				req = map[string]any{"maxResults": 1000, "instancesSet": map[string]any{}, "filterSet": map[string]any{}}
			}
			in.ev(t, r.monitor, c[0], c[1], req, nil)
		})
	}
	// Lambda rotates log streams; the Lambda service creates them.
	for _, fn := range r.lambdaFns {
		fn := fn
		in.every(in.Start, in.End, 7*time.Minute, func(t time.Time) {
			in.ev(t, in.role(fn+"-role", fn, "3.90."+fmt.Sprint(in.rng.IntN(250))+"."+fmt.Sprint(in.rng.IntN(250)), "aws-sdk-go/1.44.0 (lambda)"), "logs", "CreateLogStream",
				map[string]any{"logGroupName": "/aws/lambda/" + fn, "logStreamName": t.Format("2006/01/02") + "/[$LATEST]" + in.hex(32)}, nil)
		})
	}
	for _, d := range r.ciDeploys {
		in.ciDeploy(r, d)
	}
	for _, f := range r.extraReads {
		in.every(in.Start, in.End, 3*time.Minute, f)
	}
}

// ciDeploy writes what a GitHub Actions pipeline leaves in CloudTrail when it
// rolls an ECS service: web identity assume, task definition, update,
// then polling.
func (in *Inc) ciDeploy(r routine, d deploy) {
	ci := r.ci
	in.ev(d.at.Add(-14*time.Second), &Principal{kind: "WebIdentityUser", ip: "140.82.112." + fmt.Sprint(in.rng.IntN(250)), agent: "aws-sdk-js/3.590.0"}, "sts", "AssumeRoleWithWebIdentity",
		map[string]any{"roleArn": "arn:aws:iam::" + in.Account + ":role/" + ci.role, "roleSessionName": ci.session, "durationSeconds": 3600},
		map[string]any{"subjectFromWebIdentityToken": "repo:acme/" + d.service + ":ref:refs/heads/main", "assumedRoleUser": map[string]any{"arn": "arn:aws:sts::" + in.Account + ":assumed-role/" + ci.role + "/" + ci.session}, "provider": "arn:aws:iam::" + in.Account + ":oidc-provider/token.actions.githubusercontent.com", "audience": "sts.amazonaws.com"},
		map[string]any{"userIdentity": map[string]any{"type": "WebIdentityUser", "principalId": "arn:aws:iam::" + in.Account + ":oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:repo:acme/" + d.service + ":ref:refs/heads/main", "userName": "repo:acme/" + d.service + ":ref:refs/heads/main", "identityProvider": "arn:aws:iam::" + in.Account + ":oidc-provider/token.actions.githubusercontent.com"}})
	in.ev(d.at.Add(-9*time.Second), ci, "ecr", "BatchGetImage", map[string]any{"repositoryName": d.service, "imageIds": []map[string]any{{"imageTag": in.hex(7)}}, "registryId": in.Account}, nil)
	in.ev(d.at.Add(-6*time.Second), ci, "ecs", "RegisterTaskDefinition", map[string]any{"family": d.family, "networkMode": "awsvpc", "requiresCompatibilities": []string{"FARGATE"}, "cpu": "512", "memory": "1024", "containerDefinitions": []map[string]any{{"name": d.service, "image": in.Account + ".dkr.ecr." + in.Region + ".amazonaws.com/" + d.service + ":" + in.hex(7), "essential": true}}},
		map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:%d", in.Region, in.Account, d.family, d.rev), "family": d.family, "revision": d.rev, "status": "ACTIVE"}})
	in.ev(d.at, ci, "ecs", "UpdateService", map[string]any{"cluster": r.ecsCluster, "service": d.service, "taskDefinition": fmt.Sprintf("%s:%d", d.family, d.rev), "forceNewDeployment": false},
		map[string]any{"service": map[string]any{"serviceName": d.service, "clusterArn": "arn:aws:ecs:" + in.Region + ":" + in.Account + ":cluster/" + r.ecsCluster, "serviceArn": "arn:aws:ecs:" + in.Region + ":" + in.Account + ":service/" + r.ecsCluster + "/" + d.service, "taskDefinition": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:%d", in.Region, in.Account, d.family, d.rev), "desiredCount": 3, "status": "ACTIVE"}})
	for i := 1; i <= 8; i++ {
		in.ev(d.at.Add(time.Duration(i*15)*time.Second), ci, "ecs", "DescribeServices", map[string]any{"cluster": r.ecsCluster, "services": []string{d.service}}, nil)
	}
}

package main

import (
	"fmt"
	"strings"
	"time"
)

// principal is who made a call, as CloudTrail's userIdentity shows it.
type principal struct {
	kind      string // "role" (assumed role), "service" (AWSService)
	role      string // role name
	path      string // role path, "/" by default
	session   string
	ip, ua    string
	invokedBy string // AWS service acting through the role, or the service itself for kind "service"
	roleID    string
}

func (s *snap) role(name, session, ip, ua string) principal {
	return principal{kind: "role", role: name, path: "/", session: session, ip: ip, ua: ua, roleID: "AROA" + strings.ToUpper(s.hex(17))}
}

func (s *snap) sso(permSet, user, ip string) principal {
	p := s.role("AWSReservedSSO_"+permSet+"_"+s.hex(16), user, ip, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15")
	p.path = "/aws-reserved/sso.amazonaws.com/" + s.region + "/"
	return p
}

// svcRole is an AWS service acting through its service-linked or execution role.
func (s *snap) svcRole(name, session, service string) principal {
	p := s.role(name, session, service, service)
	p.invokedBy = service
	if strings.HasPrefix(name, "AWSServiceRoleFor") {
		p.path = "/aws-service-role/" + service + "/"
	}
	return p
}

func service(name string) principal {
	return principal{kind: "service", invokedBy: name, ip: name, ua: name}
}

func (s *snap) identity(p principal, t time.Time) map[string]any {
	if p.kind == "service" {
		return map[string]any{"type": "AWSService", "invokedBy": p.invokedBy}
	}
	roleArn := fmt.Sprintf("arn:aws:iam::%s:role%s%s", s.account, p.path, p.role)
	id := map[string]any{
		"type": "AssumedRole", "principalId": p.roleID + ":" + p.session,
		"arn":       fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", s.account, p.role, p.session),
		"accountId": s.account, "accessKeyId": "ASIA" + strings.ToUpper(s.hex(16)),
		"sessionContext": map[string]any{
			"sessionIssuer": map[string]any{"type": "Role", "principalId": p.roleID, "arn": roleArn, "accountId": s.account, "userName": p.role},
			"attributes":    map[string]any{"creationDate": iso(t.Add(-time.Duration(5+s.rng.Intn(50)) * time.Minute)), "mfaAuthenticated": "false"},
		},
	}
	if p.invokedBy != "" {
		id["invokedBy"] = p.invokedBy
	}
	return id
}

// event appends one CloudTrail record and returns it for further fields.
func (s *snap) event(t time.Time, p principal, source, name string, readOnly bool, req, resp any, resources ...[2]string) map[string]any {
	r := map[string]any{
		"eventVersion": "1.09", "userIdentity": s.identity(p, t), "eventTime": iso(t), "eventSource": source, "eventName": name,
		"awsRegion": s.region, "sourceIPAddress": p.ip, "userAgent": p.ua, "requestParameters": req, "responseElements": resp,
		"requestID": s.uuid(), "eventID": s.uuid(), "readOnly": readOnly, "eventType": "AwsApiCall", "managementEvent": true,
		"recipientAccountId": s.account, "eventCategory": "Management",
	}
	if p.kind != "service" && p.invokedBy == "" {
		host := strings.TrimSuffix(source, ".amazonaws.com") + "." + s.region + ".amazonaws.com"
		if source == "iam.amazonaws.com" || source == "signin.amazonaws.com" {
			host = strings.TrimSuffix(source, ".amazonaws.com") + ".amazonaws.com"
		}
		r["tlsDetails"] = map[string]any{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": host}
	}
	if len(resources) > 0 {
		var rs []map[string]any
		for _, x := range resources {
			rs = append(rs, map[string]any{"accountId": s.account, "type": x[0], "ARN": x[1]})
		}
		r["resources"] = rs
	}
	if strings.HasPrefix(p.ua, "Mozilla") {
		r["sessionCredentialFromConsole"] = "true"
		r["userAgent"] = "AWS Internal"
	}
	s.ct = append(s.ct, r)
	return r
}

// noiseCfg names the account's routine actors and resources.
type noiseCfg struct {
	ci           principal
	humans       []principal
	lambdaRoles  []string // execution roles assumed by lambda.amazonaws.com
	taskRoles    []string // task roles assumed by ecs-tasks.amazonaws.com
	ecrRepos     []string
	logGroups    []string
	instances    []string
	secretReads  []string // secret names read by workloads
	monitoring   bool
	eventsPerMin float64
}

// noise writes the routine traffic of a busy account: credentials,
// monitoring reads, agents checking in, CI pushing images, people looking.
func (s *snap) noise(c noiseCfg) {
	mon := s.role("DatadogIntegrationRole", "DatadogAWSIntegration", "44.192.28.112", "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) Datadog")
	cfg := s.svcRole("AWSServiceRoleForConfig", "AWSConfig-Describe", "config.amazonaws.com")
	s.every(time.Minute, func(t time.Time) {
		for i := 0; i < s.poisson(c.eventsPerMin*0.25); i++ {
			if len(c.lambdaRoles) > 0 {
				r := c.lambdaRoles[s.rng.Intn(len(c.lambdaRoles))]
				s.event(s.jitter(t, time.Minute), service("lambda.amazonaws.com"), "sts.amazonaws.com", "AssumeRole", true,
					map[string]any{"roleArn": fmt.Sprintf("arn:aws:iam::%s:role/%s", s.account, r), "roleSessionName": r + "-" + s.hex(6), "durationSeconds": 43200},
					map[string]any{"credentials": map[string]any{"accessKeyId": "ASIA" + strings.ToUpper(s.hex(16)), "sessionToken": "IQoJb3JpZ2luX2VjEO//////////wEaCWV1LXdlc3QtMSJGMEQCIF" + s.hex(20), "expiration": t.Add(12 * time.Hour).UTC().Format("Jan 2, 2006, 3:04:05 PM")}},
					[2]string{"AWS::IAM::Role", fmt.Sprintf("arn:aws:iam::%s:role/%s", s.account, r)})
			}
			if len(c.taskRoles) > 0 {
				r := c.taskRoles[s.rng.Intn(len(c.taskRoles))]
				s.event(s.jitter(t, time.Minute), service("ecs-tasks.amazonaws.com"), "sts.amazonaws.com", "AssumeRole", true,
					map[string]any{"roleArn": fmt.Sprintf("arn:aws:iam::%s:role/%s", s.account, r), "roleSessionName": s.hex(32)},
					map[string]any{"credentials": map[string]any{"accessKeyId": "ASIA" + strings.ToUpper(s.hex(16)), "expiration": t.Add(6 * time.Hour).UTC().Format("Jan 2, 2006, 3:04:05 PM")}},
					[2]string{"AWS::IAM::Role", fmt.Sprintf("arn:aws:iam::%s:role/%s", s.account, r)})
			}
		}
		if c.monitoring {
			for i := 0; i < s.poisson(c.eventsPerMin*0.2); i++ {
				op := s.pick("GetMetricData", "ListMetrics", "DescribeAlarms", "GetMetricData")
				s.event(s.jitter(t, time.Minute), mon, "monitoring.amazonaws.com", op, true, map[string]any{"maxDatapoints": 100800}, nil)
			}
			if s.rng.Intn(3) == 0 {
				s.event(s.jitter(t, time.Minute), mon, s.pick("ec2.amazonaws.com", "lambda.amazonaws.com", "ecs.amazonaws.com", "tag.amazonaws.com"), s.pick("DescribeInstances", "ListFunctions20150331", "ListClusters", "GetResources"), true, nil, nil)
			}
		}
		for i := 0; i < s.poisson(c.eventsPerMin*0.15); i++ {
			s.event(s.jitter(t, time.Minute), service("kms.amazonaws.com"), "kms.amazonaws.com", s.pick("Decrypt", "GenerateDataKey"), true,
				map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "keyId": fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", s.region, s.account, "6f1c2a9e-3b4d-4e8f-9a0b-1c2d3e4f5a6b")}, nil)
		}
		if len(c.instances) > 0 && s.rng.Intn(2) == 0 {
			in := c.instances[s.rng.Intn(len(c.instances))]
			p := s.role("prod-ec2-ssm-instance", in, "10.20.4."+fmt.Sprint(10+s.rng.Intn(200)), "aws-sdk-go/1.55.5 (go1.22.8; linux; amd64) amazon-ssm-agent/3.3.1142.0")
			s.event(s.jitter(t, time.Minute), p, "ssm.amazonaws.com", "UpdateInstanceInformation", false,
				map[string]any{"instanceId": in, "agentVersion": "3.3.1142.0", "agentStatus": "Active", "platformType": "Linux", "platformName": "Amazon Linux", "platformVersion": "2023"}, nil)
		}
		if len(c.logGroups) > 0 && s.rng.Intn(4) == 0 {
			g := c.logGroups[s.rng.Intn(len(c.logGroups))]
			p := s.role(strings.TrimPrefix(strings.ReplaceAll(g, "/", "-"), "-aws-lambda-")+"-role", g[strings.LastIndex(g, "/")+1:], "3.249.21.17", "awslambda-worker/1.0 rusoto/0.48.0 rust/1.80.0 linux")
			s.event(s.jitter(t, time.Minute), p, "logs.amazonaws.com", "CreateLogStream", false,
				map[string]any{"logGroupName": g, "logStreamName": t.Format("2006/01/02") + "/[$LATEST]" + s.hex(32)}, nil)
		}
		if len(c.secretReads) > 0 && s.rng.Intn(3) == 0 {
			sec := c.secretReads[s.rng.Intn(len(c.secretReads))]
			s.event(s.jitter(t, time.Minute), s.role("secrets-reader-"+strings.Split(sec, "/")[1], s.hex(12), "10.20.8."+fmt.Sprint(20+s.rng.Intn(100)), "aws-sdk-java/2.28.16 Linux/5.10.227-219.884.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.5+11-LTS"),
				"secretsmanager.amazonaws.com", "GetSecretValue", true, map[string]any{"secretId": sec}, nil)
		}
		if s.rng.Intn(9) == 0 {
			s.event(s.jitter(t, time.Minute), cfg, "config.amazonaws.com", "PutEvaluations", false, map[string]any{"testMode": false, "resultToken": s.hex(40)}, nil)
		}
	})
	// CI pushes images of other services every few minutes.
	for i := 0; i < len(c.ecrRepos)*3; i++ {
		t := s.jitter(s.start, s.end.Sub(s.start))
		repo := c.ecrRepos[s.rng.Intn(len(c.ecrRepos))]
		digest := "sha256:" + s.hex(64)
		for j, op := range []string{"GetAuthorizationToken", "BatchCheckLayerAvailability", "InitiateLayerUpload", "CompleteLayerUpload", "PutImage"} {
			ro := op == "GetAuthorizationToken" || op == "BatchCheckLayerAvailability"
			req := map[string]any{"repositoryName": repo, "registryId": s.account}
			if op == "PutImage" {
				req["imageTag"] = "git-" + s.hex(7)
				req["imageManifestMediaType"] = "application/vnd.oci.image.manifest.v1+json"
			}
			var resp any
			if op == "PutImage" {
				resp = map[string]any{"image": map[string]any{"repositoryName": repo, "imageId": map[string]any{"imageDigest": digest, "imageTag": req["imageTag"]}}}
			}
			s.event(t.Add(time.Duration(j*4)*time.Second), c.ci, "ecr.amazonaws.com", op, ro, req, resp,
				[2]string{"AWS::ECR::Repository", fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s", s.region, s.account, repo)})
		}
	}
	// People sign in and look around.
	for _, h := range c.humans {
		t := s.jitter(s.start, 20*time.Minute)
		r := s.event(t, h, "signin.amazonaws.com", "ConsoleLogin", false, nil, map[string]any{"ConsoleLogin": "Success"})
		r["additionalEventData"] = map[string]any{"MobileVersion": "No", "MFAUsed": "No"}
		for i := 0; i < 6+s.rng.Intn(10); i++ {
			src := s.pick("ec2.amazonaws.com", "logs.amazonaws.com", "cloudwatch.amazonaws.com", "ecs.amazonaws.com", "lambda.amazonaws.com", "s3.amazonaws.com")
			op := map[string]string{"ec2.amazonaws.com": "DescribeSecurityGroups", "logs.amazonaws.com": "DescribeLogGroups", "cloudwatch.amazonaws.com": "DescribeAlarms", "ecs.amazonaws.com": "DescribeServices", "lambda.amazonaws.com": "GetFunction20150331v2", "s3.amazonaws.com": "ListBuckets"}[src]
			if src == "cloudwatch.amazonaws.com" {
				src = "monitoring.amazonaws.com"
			}
			s.event(t.Add(time.Duration(30+s.rng.Intn(3000))*time.Second), h, src, op, true, nil, nil)
		}
	}
}

// responders are the on-call people reading CloudTrail and logs after the alarm.
func (s *snap) responders(h principal, after time.Time) {
	for i := 0; i < 14; i++ {
		t := after.Add(time.Duration(20+s.rng.Intn(1200)) * time.Second)
		op := s.pick("LookupEvents", "FilterLogEvents", "GetMetricData", "DescribeAlarmHistory", "StartQuery")
		src := map[string]string{"LookupEvents": "cloudtrail.amazonaws.com", "FilterLogEvents": "logs.amazonaws.com", "GetMetricData": "monitoring.amazonaws.com", "DescribeAlarmHistory": "monitoring.amazonaws.com", "StartQuery": "logs.amazonaws.com"}[op]
		s.event(t, h, src, op, true, nil, nil)
	}
}

package main

import (
	"fmt"
	"math"
	"time"
)

// certExpired: nothing changes. The certificate imported into ACM for the
// internal ALB internal-ledger reaches NotAfter; imported certificates are
// not renewed by ACM. Clients that open new TLS connections fail at once,
// pooled keep-alive connections keep working until they are recycled, so
// the errors ramp up over minutes. Someone re-imports a certificate 37
// minutes later and the errors stop.
func certExpired(root string) {
	start, end := T("2026-11-03T23:10:00Z"), T("2026-11-04T00:40:00Z")
	s := NewSnap(root, "internal-alb-cert-expired", "ap-southeast-2", "529061833704", 404, start, end)
	s.Title = "payments-api-5xx in ALARM"
	s.Arch = "payments-service (Java 17, Spring, ECS Fargate) behind the public ALB payments-public posts journal entries to ledger-service through the internal ALB internal-ledger " +
		"(HTTPS listener on ledger.internal.finco.net, certificate from the company's private CA imported into ACM). statement-worker (Go, ECS) posts batches to the same endpoint every minute. " +
		"ledger-service (ECS) writes to Aurora PostgreSQL ledger-db. Security Hub with the AWS Foundational Security Best Practices standard is enabled."
	certArn := "arn:aws:acm:ap-southeast-2:" + s.Acct + ":certificate/7c1e4d2b-90af-4b38-a6e5-2f8d3c9b0a17"
	notAfter := T("2026-11-03T23:47:12Z")
	onset := T("2026-11-03T23:47:13Z")
	alarmAt := T("2026-11-03T23:52:29Z")
	deployWorker := T("2026-11-03T23:31:06Z")
	putParam := T("2026-11-03T23:40:22Z")
	scaleIn := T("2026-11-03T23:58:40Z")
	reimport := T("2026-11-04T00:24:51Z")
	publicLB, internalLB := "app/payments-public/41d8e2c6b9a07f35", "app/internal-ledger/3b9e0c7d2a1f5846"

	s.CTStart = start.Add(-20 * time.Minute)
	s.RoutineCT(Routine{PerMin: 3, KeyID: "e8a4b2c1-7d3f-4e6a-9b0c-5f1d2a8e7c43",
		Monitor: s.RoleActor("newrelic-integration", "NewRelicInfrastructure-Integrations", "aws-sdk-java/1.12.761 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.12", "162.247.241.2"),
		Workloads: []Workload{
			{Role: "payments-service-task", Principal: "ecs-tasks.amazonaws.com", Params: []string{"/payments/ledger-url", "/payments/fraud-threshold"}, Secret: "payments/psp-credentials"},
			{Role: "ledger-service-task", Principal: "ecs-tasks.amazonaws.com", Params: []string{"/ledger/db-host"}, Secret: "ledger/db-password"},
			{Role: "statement-worker-task", Principal: "ecs-tasks.amazonaws.com", Params: []string{"/statements/ledger-url"}},
		}})
	ci := s.RoleActor("buildkite-deploy", "buildkite-"+s.alnum(10, false), "aws-cli/2.19.1 md/awscrt#0.22.0 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.12.6 md/command#ecs.update-service", "13.236.118.40")
	s.CT(deployWorker.Add(-25*time.Second), ci, "ecs.amazonaws.com", "RegisterTaskDefinition", map[string]any{"family": "statement-worker", "requiresCompatibilities": []string{"FARGATE"}, "cpu": "256", "memory": "512", "networkMode": "awsvpc",
		"containerDefinitions": []any{map[string]any{"name": "statement-worker", "image": s.Acct + ".dkr.ecr.ap-southeast-2.amazonaws.com/statement-worker:1.42.0", "essential": true}}},
		map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": "arn:aws:ecs:ap-southeast-2:" + s.Acct + ":task-definition/statement-worker:77", "revision": 77, "status": "ACTIVE"}})
	s.CT(deployWorker, ci, "ecs.amazonaws.com", "UpdateService", map[string]any{"cluster": "finco-prod", "service": "statement-worker", "taskDefinition": "statement-worker:77"},
		map[string]any{"service": map[string]any{"serviceName": "statement-worker", "taskDefinition": "arn:aws:ecs:ap-southeast-2:" + s.Acct + ":task-definition/statement-worker:77", "desiredCount": 1}})
	dev := s.SSOActor("PaymentsDeveloper", "liam.nguyen@finco.com.au", "203.45.77.18")
	s.CT(putParam, dev, "ssm.amazonaws.com", "PutParameter", map[string]any{"name": "/payments/fraud-threshold", "type": "String", "overwrite": true, "tier": "Standard"}, map[string]any{"version": 14, "tier": "Standard"})
	as := s.ServiceRoleActor("AWSServiceRoleForApplicationAutoScaling_ECSService", "aws-service-role/ecs.application-autoscaling.amazonaws.com/", "AutoScaling", "application-autoscaling.amazonaws.com")
	s.CT(scaleIn, as, "ecs.amazonaws.com", "UpdateService", map[string]any{"cluster": "finco-prod", "service": "ledger-service", "desiredCount": 2},
		map[string]any{"service": map[string]any{"serviceName": "ledger-service", "desiredCount": 2, "runningCount": 3}})
	sre := s.SSOActor("PlatformAdmin", "aisha.karim@finco.com.au", "203.45.77.40")
	s.CT(reimport.Add(-3*time.Minute), sre, "acm.amazonaws.com", "DescribeCertificate", map[string]any{"certificateArn": certArn}, nil, ReadOnly)
	s.CT(reimport.Add(-150*time.Second), sre, "acm.amazonaws.com", "ListCertificates", map[string]any{"includes": map[string]any{"keyTypes": []string{"RSA_2048"}}}, nil, ReadOnly)
	s.CT(reimport, sre, "acm.amazonaws.com", "ImportCertificate", map[string]any{"certificateArn": certArn, "certificate": "HIDDEN_DUE_TO_SECURITY_REASONS", "privateKey": "HIDDEN_DUE_TO_SECURITY_REASONS", "certificateChain": "HIDDEN_DUE_TO_SECURITY_REASONS"},
		map[string]any{"certificateArn": certArn})
	// ACM's own daily expiry check event the week before is not in the window; the Security Hub control is.
	s.Every(s.CTStart, end, 0.4, func(t time.Time) {
		s.CT(t, ServiceActor("elasticloadbalancing.amazonaws.com"), "acm.amazonaws.com", "DescribeCertificate", map[string]any{"certificateArn": certArn}, nil, ReadOnly)
	})

	// ---- traffic
	failFrac := func(t time.Time) float64 { // pooled connections: share of calls that need a new handshake
		if t.Before(notAfter) || !t.Before(reimport.Add(20*time.Second)) {
			return 0
		}
		return ramp(t, notAfter, notAfter.Add(7*time.Minute), 0.08, 1)
	}
	tlsErr := map[time.Time]float64{}
	ledgerReq := map[time.Time]float64{}
	pay5xx := map[time.Time]float64{}
	payStream := []string{"payments/payments-service/" + s.hex(32), "payments/payments-service/" + s.hex(32), "payments/payments-service/" + s.hex(32)}
	ledStream := []string{"ledger/ledger-service/" + s.hex(32), "ledger/ledger-service/" + s.hex(32), "ledger/ledger-service/" + s.hex(32)}
	pubTG := "arn:aws:elasticloadbalancing:ap-southeast-2:" + s.Acct + ":targetgroup/payments-svc/6a2f9e1d0c8b7453"
	intTG := "arn:aws:elasticloadbalancing:ap-southeast-2:" + s.Acct + ":targetgroup/ledger-svc/2e7c5a9f3b1d0864"
	jlog := func(t time.Time, lvl, thread, logger, msg string) string {
		return fmt.Sprintf("%s %-5s [%s] %s - %s", t.Format("2006-01-02 15:04:05.000"), lvl, thread, logger, msg)
	}
	ledgerCall := func(t time.Time, from string) {
		m := t.Truncate(time.Minute)
		ledgerReq[m]++
		dur := s.jitter(0.045, 0.4)
		st := ledStream[s.R.Intn(3)]
		entry := "je_" + s.alnum(12, false)
		if s.R.Intn(30) == 0 {
			s.Log("/ecs/ledger-service", st, t.Add(20*time.Millisecond), jlog(t, "ERROR", "http-nio-8443-exec-"+fmt.Sprint(1+s.R.Intn(20)), "c.f.ledger.JournalController", "duplicate entry rejected: idempotency key "+s.hex(16)+" already used (409)"))
		} else {
			s.Log("/ecs/ledger-service", st, t.Add(20*time.Millisecond), jlog(t, "INFO", "http-nio-8443-exec-"+fmt.Sprint(1+s.R.Intn(20)), "c.f.ledger.JournalController", "posted "+entry+" from "+from+" lines=2"))
		}
		s.ALB(fmt.Sprintf("%s_elasticloadbalancing_%s_app.internal-ledger.3b9e0c7d2a1f5846", s.Acct, s.Region), t, s.ALBLine(t.Add(time.Duration(dur*float64(time.Second))), ALBEntry{
			Scheme: "https", LB: internalLB, Client: fmt.Sprintf("10.30.%d.%d:%d", 8+s.R.Intn(6), 5+s.R.Intn(240), 32000+s.R.Intn(30000)),
			Target: fmt.Sprintf("10.30.%d.%d:8443", 20+s.R.Intn(4), 5+s.R.Intn(240)), Req: 0, TargetT: dur, Resp: 0, ELBStatus: "201", TargetStatus: "201",
			Recv: 900, Sent: 310, Request: "POST https://ledger.internal.finco.net:443/v2/entries HTTP/1.1", UA: map[string]string{"payments": "Java-http-client/17.0.12", "statement-worker": "Go-http-client/1.1"}[from],
			TG: intTG, TraceID: "Root=" + s.TraceID(t), Domain: "ledger.internal.finco.net", Cert: certArn}))
	}
	s.Every(start, end, 38, func(t time.Time) {
		m := t.Truncate(time.Minute)
		st := payStream[s.R.Intn(3)]
		th := "http-nio-8080-exec-" + fmt.Sprint(1+s.R.Intn(50))
		status := "201"
		if s.R.Intn(25) == 0 {
			s.Log("/ecs/payments-service", st, t, jlog(t, "WARN", th, "c.f.payments.fraud.FraudScoreClient", "fraud-score call timed out after 800 ms, scoring as low-risk"))
		}
		if s.R.Float64() < failFrac(t) {
			tlsErr[m]++
			status = "503"
			pay5xx[m]++
			s.Log("/ecs/payments-service", st, t.Add(15*time.Millisecond), jlog(t, "ERROR", th, "c.f.payments.ledger.LedgerClient", "ledger call failed for payment pay_"+s.alnum(12, false)+": javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed"))
			s.Log("/ecs/payments-service", st, t.Add(16*time.Millisecond), "\tat java.base/sun.security.ssl.Alert.createSSLException(Alert.java:131)")
			s.Log("/ecs/payments-service", st, t.Add(16*time.Millisecond), "Caused by: java.security.cert.CertificateExpiredException: NotAfter: Tue Nov 03 23:47:12 UTC 2026")
		} else {
			ledgerCall(t.Add(10*time.Millisecond), "payments")
			s.Log("/ecs/payments-service", st, t.Add(80*time.Millisecond), jlog(t, "INFO", th, "c.f.payments.PaymentController", "payment pay_"+s.alnum(12, false)+" captured amount="+fmt.Sprintf("%.2f", 5+s.R.Float64()*300)+" AUD"))
		}
		s.ALB(fmt.Sprintf("%s_elasticloadbalancing_%s_app.payments-public.41d8e2c6b9a07f35", s.Acct, s.Region), t, s.ALBLine(t.Add(90*time.Millisecond), ALBEntry{
			Scheme: "h2", LB: publicLB, Client: fmt.Sprintf("%d.%d.%d.%d:%d", 1+s.R.Intn(200), s.R.Intn(255), s.R.Intn(255), 1+s.R.Intn(254), 1024+s.R.Intn(60000)),
			Target: fmt.Sprintf("10.30.%d.%d:8080", 30+s.R.Intn(4), 5+s.R.Intn(240)), Req: 0.001, TargetT: s.jitter(0.09, 0.3), Resp: 0, ELBStatus: status, TargetStatus: status,
			Recv: 1200, Sent: 420, Request: "POST https://api.finco.com.au:443/v1/payments HTTP/2.0", UA: "okhttp/4.12.0", TG: pubTG, TraceID: "Root=" + s.TraceID(t), Domain: "api.finco.com.au",
			Cert: "arn:aws:acm:ap-southeast-2:" + s.Acct + ":certificate/0d3f8a61-2c4b-4e97-b1a5-9e6c7d2f8b30"}))
	})
	wstream := "statements/statement-worker/" + s.hex(32)
	for t := start.Add(17 * time.Second); t.Before(end); t = t.Add(time.Minute) {
		if t.After(deployWorker.Add(50*time.Second)) && wstream[len(wstream)-1] != 'x' && t.Before(deployWorker.Add(110*time.Second)) {
			wstream = "statements/statement-worker/" + s.hex(31) + "x"
			s.Log("/ecs/statement-worker", wstream, t.Add(-3*time.Second), t.Add(-3*time.Second).Format("2006/01/02 15:04:05")+" INFO statement-worker 1.42.0 starting")
		}
		n := 20 + s.R.Intn(10)
		if t.After(notAfter) && t.Before(reimport) {
			tlsErr[t.Truncate(time.Minute)]++
			s.Log("/ecs/statement-worker", wstream, t, t.Format("2006/01/02 15:04:05")+fmt.Sprintf(` ERROR post batch failed batch=%d entries=%d err="Post \"https://ledger.internal.finco.net/v2/entries\": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time %s is after 2026-11-03T23:47:12Z"`, 880000+t.Unix()%100000, n, t.Format(ts)))
			continue
		}
		for i := 0; i < 3; i++ {
			ledgerCall(t.Add(time.Duration(i*150)*time.Millisecond), "statement-worker")
		}
		s.Log("/ecs/statement-worker", wstream, t.Add(600*time.Millisecond), t.Format("2006/01/02 15:04:05")+fmt.Sprintf(" INFO posted batch batch=%d entries=%d", 880000+t.Unix()%100000, n))
	}

	// ---- metrics
	s.Metric("AWS/ApplicationELB", "ClientTLSNegotiationErrorCount", [][2]string{{"LoadBalancer", internalLB}}, "Count", []string{"Sum"}, func(t time.Time) float64 {
		if tlsErr[t] == 0 {
			return math.NaN()
		}
		return tlsErr[t] * 40 // each client retries the handshake
	})
	s.Metric("AWS/ApplicationELB", "RequestCount", [][2]string{{"LoadBalancer", internalLB}}, "Count", []string{"Sum"}, func(t time.Time) float64 { return ledgerReq[t] * 40 })
	s.Metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", [][2]string{{"TargetGroup", "targetgroup/payments-svc/6a2f9e1d0c8b7453"}, {"LoadBalancer", publicLB}}, "Count", []string{"Sum"}, func(t time.Time) float64 {
		if pay5xx[t] == 0 {
			return math.NaN()
		}
		return pay5xx[t] * 40
	})
	s.Metric("AWS/ApplicationELB", "RequestCount", [][2]string{{"TargetGroup", "targetgroup/payments-svc/6a2f9e1d0c8b7453"}, {"LoadBalancer", publicLB}}, "Count", []string{"Sum"}, func(t time.Time) float64 { return math.Round(s.jitter(1520, 0.08)) })
	s.Metric("AWS/ApplicationELB", "TargetResponseTime", [][2]string{{"TargetGroup", "targetgroup/ledger-svc/2e7c5a9f3b1d0864"}, {"LoadBalancer", internalLB}}, "Seconds", []string{"Average"}, func(t time.Time) float64 { return s.jitter(0.045, 0.15) })
	s.Metric("AWS/ECS", "CPUUtilization", [][2]string{{"ClusterName", "finco-prod"}, {"ServiceName", "ledger-service"}}, "Percent", []string{"Average"}, func(t time.Time) float64 {
		return ramp(t, notAfter, notAfter.Add(8*time.Minute), s.jitter(41, 0.1), s.jitter(14, 0.15))
	})
	s.Metric("AWS/RDS", "CommitThroughput", [][2]string{{"DBClusterIdentifier", "ledger-db"}}, "Count/Second", []string{"Average"}, func(t time.Time) float64 { return s.jitter(ledgerReq[t]/60*2, 0.1) })
	s.Metric("AWS/ECS", "CPUUtilization", [][2]string{{"ClusterName", "finco-prod"}, {"ServiceName", "statement-worker"}}, "Percent", []string{"Average"}, func(t time.Time) float64 {
		if t.After(deployWorker) && t.Before(deployWorker.Add(3*time.Minute)) {
			return s.jitter(55, 0.1)
		}
		return s.jitter(9, 0.2)
	})

	// ---- alarms
	topic := "arn:aws:sns:ap-southeast-2:" + s.Acct + ":payments-pager"
	reason := "Threshold Crossed: 3 out of the last 3 datapoints [1120.0 (03/11/26 23:51:00), 760.0 (03/11/26 23:50:00), 480.0 (03/11/26 23:49:00)] were greater than the threshold (50.0) (minimum 3 datapoints for OK -> ALARM transition)."
	s.SimpleAlarm("payments-api-5xx", "payments-service 5xx on payments-public", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", [][2]string{{"TargetGroup", "targetgroup/payments-svc/6a2f9e1d0c8b7453"}, {"LoadBalancer", publicLB}}, 60, 3, 3, 50, "GreaterThanThreshold", "OK", T("2026-11-04T00:29:29Z"), "Threshold Crossed: 3 out of the last 3 datapoints were not greater than the threshold (50.0).", topic)
	s.FireAlarm("payments-api-5xx", alarmAt, reason, []float64{480, 760, 1120}, 50, topic)
	s.StateChange("payments-api-5xx", "MetricAlarm", T("2026-11-04T00:29:29Z"), "ALARM", "OK", "Threshold Crossed: 3 out of the last 3 datapoints were not greater than the threshold (50.0).", nil)
	s.SimpleAlarm("ledger-db-cpu", "ledger-db writer CPU", "AWS/RDS", "CPUUtilization", "Average", [][2]string{{"DBClusterIdentifier", "ledger-db"}}, 300, 3, 3, 75, "GreaterThanThreshold", "OK", T("2026-11-01T02:15:00Z"), "Threshold Crossed: 3 datapoints were not greater than the threshold (75.0).", topic)

	sh := func(id, ctrl, title, sev, status, typ, resID string, created time.Time, details map[string]any) map[string]any {
		return map[string]any{"SchemaVersion": "2018-10-08", "Id": "arn:aws:securityhub:ap-southeast-2:" + s.Acct + ":subscription/aws-foundational-security-best-practices/v/1.0.0/" + ctrl + "/finding/" + id,
			"ProductArn": "arn:aws:securityhub:ap-southeast-2::product/aws/securityhub", "ProductName": "Security Hub", "CompanyName": "AWS", "Region": "ap-southeast-2",
			"GeneratorId": "aws-foundational-security-best-practices/v/1.0.0/" + ctrl, "AwsAccountId": s.Acct, "Types": []string{"Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices"},
			"FirstObservedAt": created.Format("2006-01-02T15:04:05.000Z"), "LastObservedAt": "2026-11-03T17:02:41.119Z", "CreatedAt": created.Format("2006-01-02T15:04:05.000Z"), "UpdatedAt": "2026-11-03T17:02:41.119Z",
			"Severity": map[string]any{"Label": sev, "Normalized": map[string]int{"LOW": 1, "MEDIUM": 40, "HIGH": 70}[sev], "Original": sev}, "Title": title,
			"Description": title, "Remediation": map[string]any{"Recommendation": map[string]any{"Text": "For information on how to correct this issue, consult the AWS Security Hub controls documentation.", "Url": "https://docs.aws.amazon.com/console/securityhub/" + ctrl + "/remediation"}},
			"ProductFields": map[string]string{"StandardsArn": "arn:aws:securityhub:::standards/aws-foundational-security-best-practices/v/1.0.0", "ControlId": ctrl, "aws/securityhub/ProductName": "Security Hub"},
			"Resources":     []any{map[string]any{"Type": typ, "Id": resID, "Partition": "aws", "Region": "ap-southeast-2", "Details": details}},
			"Compliance":    map[string]any{"Status": status, "SecurityControlId": ctrl}, "WorkflowState": "NEW", "Workflow": map[string]string{"Status": "NEW"}, "RecordState": "ACTIVE"}
	}
	s.secHub = []map[string]any{
		sh(s.uuid(), "ACM.1", "ACM.1 Imported and ACM-issued certificates should be renewed after a specified time period", "MEDIUM", "FAILED", "AwsCertificateManagerCertificate", certArn, T("2026-10-05T17:02:39.812Z"),
			map[string]any{"AwsCertificateManagerCertificate": map[string]any{"DomainName": "ledger.internal.finco.net", "Type": "IMPORTED", "Status": "ISSUED", "NotAfter": "2026-11-03T23:47:12.000Z", "NotBefore": "2025-11-03T23:47:12.000Z",
				"RenewalEligibility": "INELIGIBLE", "InUseBy": []string{"arn:aws:elasticloadbalancing:ap-southeast-2:" + s.Acct + ":loadbalancer/" + internalLB}, "KeyAlgorithm": "RSA-2048", "Issuer": "FinCo Internal Issuing CA 2"}}),
		sh(s.uuid(), "S3.9", "S3.9 S3 bucket server access logging should be enabled", "MEDIUM", "FAILED", "AwsS3Bucket", "arn:aws:s3:::finco-statements-archive", T("2026-06-12T08:10:00.000Z"), nil),
		sh(s.uuid(), "ECS.5", "ECS.5 ECS containers should be limited to read-only access to root filesystems", "HIGH", "FAILED", "AwsEcsTaskDefinition", "arn:aws:ecs:ap-southeast-2:"+s.Acct+":task-definition/statement-worker:77", T("2026-11-03T23:33:10.000Z"), nil),
		sh(s.uuid(), "ELB.1", "ELB.1 Application Load Balancer should be configured to redirect all HTTP requests to HTTPS", "MEDIUM", "PASSED", "AwsElbv2LoadBalancer", "arn:aws:elasticloadbalancing:ap-southeast-2:"+s.Acct+":loadbalancer/"+internalLB, T("2026-03-02T10:00:00.000Z"), nil),
	}

	s.Truth = truth(s.Name, "certificate-expired", "payments-api-5xx", nil, onset,
		[][2]any{{"UpdateService", deployWorker}, {"PutParameter", putParam}, {"UpdateService", scaleIn}, {"ImportCertificate", reimport}, {"RegisterTaskDefinition", deployWorker.Add(-25 * time.Second)}},
		"certificate has expired", "PKIX path validation failed", "ledger.internal.finco.net")
	s.Write()
}

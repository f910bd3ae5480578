package main

import "path/filepath"

func init() { generators = append(generators, generator{"findings", genFindings}) }

// genFindings writes security findings that have nothing to do with the
// incident, as a real account always has some: two failed Security Hub
// controls, one suppressed (which fa2 must leave out), and a low-severity
// GuardDuty port probe on the bastion host, plus an archived one.
func genFindings(dir string) error {
	product := "arn:aws:securityhub:us-east-1::product/aws/securityhub"
	control := func(id, controlID, title, severity, resType, resID, first, updated, workflow string) map[string]any {
		return map[string]any{
			"SchemaVersion": "2018-10-08", "Id": "arn:aws:securityhub:us-east-1:123456789012:security-control/" + controlID + "/finding/" + id,
			"ProductArn": product, "ProductName": "Security Hub", "CompanyName": "AWS", "Region": region,
			"GeneratorId": "security-control/" + controlID, "AwsAccountId": accountID,
			"Types":           []string{"Software and Configuration Checks/Industry and Regulatory Standards"},
			"FirstObservedAt": first, "LastObservedAt": updated, "CreatedAt": first, "UpdatedAt": updated,
			"Severity": map[string]any{"Label": severity, "Original": severity},
			"Title":    title, "Description": title + ".",
			"Resources":     []map[string]any{{"Type": resType, "Id": resID, "Partition": "aws", "Region": region}},
			"Compliance":    map[string]any{"Status": "FAILED", "SecurityControlId": controlID},
			"WorkflowState": "NEW", "Workflow": map[string]string{"Status": workflow}, "RecordState": "ACTIVE",
			"ProductFields": map[string]string{"aws/securityhub/ProductName": "Security Hub"},
			// Security Hub's own controls point at their documentation page.
			"Remediation": map[string]any{"Recommendation": map[string]string{
				"Text": "For information on how to correct this issue, consult the AWS Security Hub controls documentation.",
				"Url":  "https://docs.aws.amazon.com/console/securityhub/" + controlID + "/remediation",
			}},
		}
	}
	sh := map[string]any{"Findings": []map[string]any{
		control("7c1e4b2a-3d5f-4a6b-9c8d-0e1f2a3b4c5d", "EC2.19", "Security groups should not allow unrestricted access to ports with high risk", "CRITICAL",
			"AwsEc2SecurityGroup", "arn:aws:ec2:us-east-1:123456789012:security-group/sg-0a1b2c3d4e5f67890", "2026-10-14T16:02:11.512Z", "2026-11-20T09:12:44.208Z", "NOTIFIED"),
		control("2f9a8b7c-6d5e-4f3a-8b2c-1d0e9f8a7b6c", "S3.1", "S3 general purpose buckets should have block public access settings enabled", "MEDIUM",
			"AwsAccount", "AWS::::Account:123456789012", "2026-09-02T08:41:57.031Z", "2026-11-20T09:12:51.774Z", "NEW"),
		control("9e8d7c6b-5a4f-4e3d-a2c1-b0a9f8e7d6c5", "IAM.6", "Hardware MFA should be enabled for the root user", "CRITICAL",
			"AwsAccount", "AWS::::Account:123456789012", "2026-06-30T11:20:03.000Z", "2026-11-20T09:13:02.090Z", "SUPPRESSED"),
	}}
	if err := writeJSON(filepath.Join(dir, "securityhub.json"), sh); err != nil {
		return err
	}
	gd := map[string]any{"Findings": []map[string]any{
		guardDutyFinding("b2c7e1f4a9d84c3e9f0a1b2c3d4e5f60", "Recon:EC2/PortProbeUnprotectedPort", "Unprotected port on EC2 instance i-0b7c1d2e3f4a5b6c7 is being probed.",
			2, 37, "2026-11-19T22:14:08.000Z", "2026-11-20T09:41:07.000Z", false),
		guardDutyFinding("e4d3c2b1a0f94e8d7c6b5a4f3e2d1c0b", "UnauthorizedAccess:EC2/SSHBruteForce", "i-0b7c1d2e3f4a5b6c7 is performing SSH brute force attacks against 203.0.113.50.",
			5, 12, "2026-11-20T08:55:40.000Z", "2026-11-20T09:30:02.000Z", true),
	}}
	return writeJSON(filepath.Join(dir, "guardduty.json"), gd)
}

func guardDutyFinding(id, typ, title string, severity float64, count int, first, last string, archived bool) map[string]any {
	return map[string]any{
		"AccountId": accountID, "Arn": "arn:aws:guardduty:us-east-1:123456789012:detector/6ab6e6ee780ed494f3b7ca56acdc74df/finding/" + id,
		"CreatedAt": first, "Description": title, "Id": id, "Partition": "aws", "Region": region, "SchemaVersion": "2.0",
		"Resource": map[string]any{
			"ResourceType": "Instance",
			"InstanceDetails": map[string]any{"InstanceId": "i-0b7c1d2e3f4a5b6c7", "InstanceType": "t3.micro", "InstanceState": "running",
				"Tags": []map[string]string{{"Key": "Name", "Value": "bastion"}}},
		},
		"Service": map[string]any{
			"Archived": archived, "Count": count, "DetectorId": "6ab6e6ee780ed494f3b7ca56acdc74df",
			"EventFirstSeen": first, "EventLastSeen": last, "ResourceRole": "TARGET", "ServiceName": "guardduty",
			"Action": map[string]any{"ActionType": "PORT_PROBE"},
		},
		"Severity": severity, "Title": title, "Type": typ, "UpdatedAt": last,
	}
}

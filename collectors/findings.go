package collectors

// FindingSource reads Security Hub and GuardDuty findings.
type FindingSource interface {
}

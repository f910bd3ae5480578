package collectors

// CloudTrailSource reads CloudTrail events (LookupEvents or Athena).
type CloudTrailSource interface {
}

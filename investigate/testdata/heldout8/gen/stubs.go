package main

func saasThrottle(s *snap)   {}
func s3Ownership(s *snap)    {}
func sgEgress(s *snap)       {}

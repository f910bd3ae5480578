package main

func sgEgress(s *snap)       {}

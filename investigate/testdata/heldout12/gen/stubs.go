package main

func albEgress(root string)      {}
func firehosePolicy(root string) {}
func mysqlLock(root string)      {}
func lambdaQueueURL(root string) {}

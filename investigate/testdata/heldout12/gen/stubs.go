package main

func firehosePolicy(root string) {}
func mysqlLock(root string)      {}
func lambdaQueueURL(root string) {}

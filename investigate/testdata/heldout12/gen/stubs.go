package main

func mysqlLock(root string)      {}
func lambdaQueueURL(root string) {}

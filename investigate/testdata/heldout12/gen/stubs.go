package main

func lambdaQueueURL(root string) {}

package main

func esmBatch() *inc    { return lambdaVPC() }
func apigwPolicy() *inc { return lambdaVPC() }

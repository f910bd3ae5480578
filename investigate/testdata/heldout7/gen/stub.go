package main
func ssmParamWrongHost() {}
func vpcePolicyS3Deny() {}
func esmDisabledQueueAge() {}
func rdsMaxConnections() {}
func cloudfrontOriginSSL() {}

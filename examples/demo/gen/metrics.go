package main

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/fa2/fa2/examples/internal/snapgen"
)

func init() { generators = append(generators, generator{"metrics", genMetrics}) }

// metricsStart is an hour before the window, so select_metrics has a
// baseline to compare the incident with.
var metricsStart = windowStart.Add(-time.Hour)

const (
	checkoutRate = 0.9 // checkout requests per second, as in the logs
	cartTG       = "targetgroup/cart-api-tg/2b9c1f7d5e8a3c40"
	sqsQueue     = "order-events"
	notifierFn   = "order-notifier"
)

// minute is what happened in one minute of the story, shared by metrics
// and alarms so the alarm's datapoints are the metric's.
type minute struct {
	start              time.Time
	requests, errors5x float64
	badShare           float64 // share of requests served by revision 42
	unhealthy, healthy float64
	dbConnections      float64
	orders             float64
}

var storyMinutes []minute

// minutes computes the story minute by minute from metricsStart to windowEnd.
func minutes() []minute {
	if storyMinutes != nil {
		return storyMinutes
	}
	r := newRand(11)
	for t := metricsStart; t.Before(windowEnd); t = t.Add(time.Minute) {
		m := minute{start: t}
		bad := 0.0
		for s := 0; s < 60; s += 5 {
			serving := servingTasks(t.Add(time.Duration(s) * time.Second))
			n := 0
			for _, tk := range serving {
				if tk.taskDef == badTaskDef {
					n++
				}
			}
			if len(serving) > 0 {
				bad += float64(n) / float64(len(serving))
			}
		}
		m.badShare = bad / 12
		m.requests = count(r, checkoutRate*60)
		for i := 0; i < int(m.requests); i++ {
			if r.Float64() < m.badShare {
				m.errors5x++
			}
		}
		m.orders = m.requests - m.errors5x
		// A task is unhealthy once two 15 s health checks failed.
		end := t.Add(59 * time.Second)
		for _, tk := range servingTasks(end) {
			if tk.taskDef == badTaskDef && end.Sub(tk.from) >= 30*time.Second {
				m.unhealthy++
			} else {
				m.healthy++
			}
		}
		// Each good task holds a HikariCP pool of 10; three admin and
		// monitoring sessions are always there.
		conns := 0.0
		for s := 0; s < 60; s += 5 {
			for _, tk := range servingTasks(t.Add(time.Duration(s) * time.Second)) {
				if tk.taskDef == goodTaskDef {
					conns += 10
				}
			}
		}
		m.dbConnections = 3 + conns/12
		storyMinutes = append(storyMinutes, m)
	}
	return storyMinutes
}

func genMetrics(dir string) error {
	ms := minutes()
	r := newRand(23)
	albDims := snapgen.Dims("TargetGroup", targetGroup, "LoadBalancer", loadBalancer)
	cartDims := snapgen.Dims("TargetGroup", cartTG, "LoadBalancer", loadBalancer)
	ecs := func(svc string) []snapgen.Dimension {
		return snapgen.Dims("ClusterName", clusterName, "ServiceName", svc)
	}
	db := snapgen.Dims("DBClusterIdentifier", dbCluster)
	fn := snapgen.Dims("FunctionName", notifierFn)
	var files []snapgen.MetricFile
	add := func(ns, name string, dims []snapgen.Dimension, point func(m minute) snapgen.Datapoint) {
		f := snapgen.MetricFile{Namespace: ns, MetricName: name, Dimensions: dims, Label: name}
		for _, m := range ms {
			f.Datapoints = append(f.Datapoints, point(m))
		}
		files = append(files, f)
	}
	noise := func(scale float64) float64 { return (r.Float64()*2 - 1) * scale }

	add("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", albDims, func(m minute) snapgen.Datapoint { return snapgen.CountPoint(m.start, m.errors5x, "Count") })
	add("AWS/ApplicationELB", "RequestCount", albDims, func(m minute) snapgen.Datapoint { return snapgen.CountPoint(m.start, m.requests, "Count") })
	add("AWS/ApplicationELB", "TargetResponseTime", albDims, func(m minute) snapgen.Datapoint {
		// Failed requests return fast (no database work), so latency dips.
		avg := (1-m.badShare)*(0.105+noise(0.012)) + m.badShare*(0.056+noise(0.008))
		return snapgen.GaugePoint(m.start, avg, avg*0.6, m.requests, "Seconds")
	})
	add("AWS/ApplicationELB", "UnHealthyHostCount", albDims, func(m minute) snapgen.Datapoint { return snapgen.GaugePoint(m.start, m.unhealthy, 0, 6, "Count") })
	add("AWS/ApplicationELB", "HealthyHostCount", albDims, func(m minute) snapgen.Datapoint { return snapgen.GaugePoint(m.start, m.healthy, 0, 6, "Count") })
	add("AWS/ApplicationELB", "RequestCount", cartDims, func(m minute) snapgen.Datapoint { return snapgen.CountPoint(m.start, count(r, 78), "Count") })
	add("AWS/ApplicationELB", "TargetResponseTime", cartDims, func(m minute) snapgen.Datapoint {
		avg := 0.016 + noise(0.003)
		return snapgen.GaugePoint(m.start, avg, 0.012, 78, "Seconds")
	})
	add("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", cartDims, func(m minute) snapgen.Datapoint { return snapgen.CountPoint(m.start, count(r, 7.8), "Count") })
	add("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", snapgen.Dims("LoadBalancer", loadBalancer), func(m minute) snapgen.Datapoint { return snapgen.CountPoint(m.start, 0, "Count") })
	add("AWS/ECS", "CPUUtilization", ecs(serviceName), func(m minute) snapgen.Datapoint { return snapgen.GaugePoint(m.start, 23+noise(2), 4, 2, "Percent") })
	add("AWS/ECS", "MemoryUtilization", ecs(serviceName), func(m minute) snapgen.Datapoint { return snapgen.GaugePoint(m.start, 61+noise(1), 2, 2, "Percent") })
	add("AWS/ECS", "CPUUtilization", ecs("cart-api"), func(m minute) snapgen.Datapoint { return snapgen.GaugePoint(m.start, 14+noise(2), 3, 2, "Percent") })
	add("AWS/RDS", "DatabaseConnections", db, func(m minute) snapgen.Datapoint {
		return snapgen.GaugePoint(m.start, math.Round(m.dbConnections+noise(0.6)), 1, 1, "Count")
	})
	add("AWS/RDS", "CPUUtilization", db, func(m minute) snapgen.Datapoint { return snapgen.GaugePoint(m.start, 12+noise(1.5), 2, 1, "Percent") })
	add("AWS/Lambda", "Invocations", fn, func(m minute) snapgen.Datapoint { return snapgen.CountPoint(m.start, m.orders, "Count") })
	add("AWS/Lambda", "Errors", fn, func(m minute) snapgen.Datapoint { return snapgen.CountPoint(m.start, 0, "Count") })
	add("AWS/Lambda", "Duration", fn, func(m minute) snapgen.Datapoint {
		return snapgen.GaugePoint(m.start, 100+noise(15), 60, math.Max(m.orders, 1), "Milliseconds")
	})
	add("AWS/SQS", "NumberOfMessagesSent", snapgen.Dims("QueueName", sqsQueue), func(m minute) snapgen.Datapoint { return snapgen.CountPoint(m.start, m.orders, "Count") })
	add("AWS/SQS", "ApproximateNumberOfMessagesVisible", snapgen.Dims("QueueName", sqsQueue), func(m minute) snapgen.Datapoint {
		return snapgen.GaugePoint(m.start, float64(r.Intn(2)), 1, 1, "Count")
	})
	add("AWS/ElastiCache", "CPUUtilization", snapgen.Dims("CacheClusterId", "cart-cache-0001-001"), func(m minute) snapgen.Datapoint { return snapgen.GaugePoint(m.start, 6+noise(1), 1.5, 1, "Percent") })
	add("AWS/DynamoDB", "ConsumedReadCapacityUnits", snapgen.Dims("TableName", "sessions"), func(m minute) snapgen.Datapoint { return snapgen.CountPoint(m.start, count(r, 240), "Count") })

	for _, f := range files {
		name := strings.NewReplacer("/", "_").Replace(f.Namespace) + "-" + f.MetricName
		for _, d := range f.Dimensions {
			switch d.Name {
			case "LoadBalancer": // the same for every ALB metric
			case "TargetGroup":
				name += "-" + strings.Split(d.Value, "/")[1] // targetgroup/NAME/id
			default:
				name += "-" + d.Value
			}
		}
		b, err := json.Marshal(f)
		if err != nil {
			return err
		}
		if err := writeGzip(filepath.Join(dir, "metrics", name+".json.gz"), b); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

package logmine

// An evaluation corpus of log families the miner was not developed on,
// written from the public descriptions of their formats (vendor
// documentation, format references, the Loghub project's description of
// its data sets) — no line of any third-party data set is copied. Each
// family is a list of events; an event writes one line from random values,
// and the event's id is the ground truth for grouping accuracy.
//
// The values vary the way real ones do, on purpose: a count alone or with a
// parenthesised human-readable size, durations as 00:01:02, 62 s or <1 sec,
// a host alone or with :port, lists of one or three items, host names,
// dotted versions, signed and scientific numbers, byte sizes with units,
// identifiers with embedded numbers, quoted strings with spaces. Lines
// that differ only in such values belong to one event.

import (
	"fmt"
	"math/rand"
	"strings"
)

type event struct {
	id     string
	weight int
	gen    func(r *rand.Rand) string
}

type family struct {
	name   string
	events []event
}

// lines writes n lines of the family with their event ids.
func (f family) lines(n int, seed int64) (content, truth []string) {
	r := rand.New(rand.NewSource(seed))
	total := 0
	for _, e := range f.events {
		total += e.weight
	}
	for i := 0; i < n; i++ {
		x := r.Intn(total)
		for _, e := range f.events {
			if x < e.weight {
				content = append(content, e.gen(r))
				truth = append(truth, e.id)
				break
			}
			x -= e.weight
		}
	}
	return content, truth
}

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.Intn(len(xs))] }

func ipv4(r *rand.Rand) string {
	return fmt.Sprintf("%d.%d.%d.%d", pick(r, 10, 172, 192, 52, 34), r.Intn(256), r.Intn(256), 1+r.Intn(254))
}

var hostNames = []string{"www.google.com", "api.github.com", "proxy.cse.example.edu", "login.live.com",
	"ip-10-0-1-23.ec2.internal", "s3.us-east-1.amazonaws.com", "cdn.jsdelivr.net", "mail.example.org",
	"update.microsoft.com", "db-primary", "node-17.cluster.local", "clients4.google.com", "localhost",
	"registry-1.docker.io", "ocsp.digicert.com"}

func hostName(r *rand.Rand) string { return pick(r, hostNames...) }

// host alone, host:port, or an address, as proxies and clients write them.
func hostMaybePort(r *rand.Rand) string {
	switch r.Intn(4) {
	case 0:
		return hostName(r)
	case 1:
		return ipv4(r) + ":" + fmt.Sprint(pick(r, 80, 443, 8080, 5070, 993, 53))
	default:
		return hostName(r) + ":" + fmt.Sprint(pick(r, 80, 443, 8080, 5070, 993, 53))
	}
}

// a byte count alone or followed by a human-readable size in parentheses.
func bytesWithSize(r *rand.Rand) string {
	n := r.Intn(5)
	switch n {
	case 0:
		return fmt.Sprintf("%d bytes", r.Intn(1000))
	case 1, 2:
		b := 1024 + r.Intn(1<<20)
		return fmt.Sprintf("%d bytes (%.1f KB)", b, float64(b)/1024)
	case 3:
		b := 1<<20 + r.Intn(1<<28)
		return fmt.Sprintf("%d bytes (%.2f MB)", b, float64(b)/(1<<20))
	default:
		return fmt.Sprintf("%d bytes", 1+r.Intn(900))
	}
}

// a duration in one of the shapes desktop tools write.
func lifetime(r *rand.Rand) string {
	switch r.Intn(4) {
	case 0:
		return "<1 sec"
	case 1:
		return fmt.Sprintf("%02d:%02d", r.Intn(60), r.Intn(60))
	case 2:
		return fmt.Sprintf("%02d:%02d:%02d", r.Intn(24), r.Intn(60), r.Intn(60))
	default:
		return fmt.Sprintf("%d s", 1+r.Intn(600))
	}
}

func hexN(r *rand.Rand, n int) string {
	const d = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = d[r.Intn(16)]
	}
	return string(b)
}

func uuid(r *rand.Rand) string {
	return hexN(r, 8) + "-" + hexN(r, 4) + "-4" + hexN(r, 3) + "-a" + hexN(r, 3) + "-" + hexN(r, 12)
}

// a list of one to four items joined by sep.
func list(r *rand.Rand, sep string, item func(*rand.Rand) string) string {
	n := 1 + r.Intn(4)
	xs := make([]string, n)
	for i := range xs {
		xs[i] = item(r)
	}
	return strings.Join(xs, sep)
}

func word(ws ...string) func(*rand.Rand) string {
	return func(r *rand.Rand) string { return pick(r, ws...) }
}

func signed(r *rand.Rand) string {
	switch r.Intn(3) {
	case 0:
		return fmt.Sprintf("%+d", r.Intn(200)-100)
	case 1:
		return fmt.Sprintf("%.3e", (r.Float64()-0.5)*1e-3)
	default:
		return fmt.Sprintf("%.2f", (r.Float64()-0.5)*40)
	}
}

func byteSize(r *rand.Rand) string {
	return fmt.Sprintf("%d%s", 1+r.Intn(900), pick(r, "K", "M", "G", "KB", "MB", "GiB", "kB"))
}

// ---------------------------------------------------------------------------
// Proxifier (Windows proxy client): "<program> - <target> <event>", the
// program sometimes with a " *64" suffix for 64-bit processes.

var proxifier = family{"Proxifier", []event{
	{"open", 20, func(r *rand.Rand) string {
		return fmt.Sprintf("%s - %s open through proxy %s %s", program(r), hostMaybePort(r), proxyAddr(r), pick(r, "HTTPS", "SOCKS5"))
	}},
	{"close", 30, func(r *rand.Rand) string {
		return fmt.Sprintf("%s - %s close, %s sent, %s received, lifetime %s", program(r), hostMaybePort(r), bytesWithSize(r), bytesWithSize(r), lifetime(r))
	}},
	{"err-connect", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("%s - %s error : Could not connect through proxy %s - Proxy server cannot establish a connection with the target, status code %d", program(r), hostMaybePort(r), proxyAddr(r), pick(r, 403, 502, 504))
	}},
	{"err-closed", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("%s - %s error : A connection request was canceled before the completion.", program(r), hostMaybePort(r))
	}},
	{"resolve", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("%s - %s resolved through proxy %s", program(r), hostName(r), proxyAddr(r))
	}},
	{"dns", 3, func(r *rand.Rand) string {
		return fmt.Sprintf("DNS resolution of %s failed, using remote resolution", hostName(r))
	}},
	{"stats", 2, func(r *rand.Rand) string {
		return fmt.Sprintf("Traffic statistics: %s sent, %s received, %d active connections", bytesWithSize(r), bytesWithSize(r), r.Intn(40))
	}},
}}

func program(r *rand.Rand) string {
	return pick(r, "chrome.exe", "Dropbox.exe", "git-remote-https.exe *64", "WeChat.exe", "svchost.exe *64",
		"OneDrive.exe", "Teams.exe *64", "firefox.exe", "outlook.exe")
}

func proxyAddr(r *rand.Rand) string {
	return pick(r, "proxy.cse.example.edu:5070", "10.1.1.10:3128", "proxy.corp.local:8080")
}

// ---------------------------------------------------------------------------
// Android logcat messages (the text after "tag: "): power manager wake
// locks, activity and window manager.

var android = family{"Android", []event{
	{"acquire", 25, func(r *rand.Rand) string {
		return fmt.Sprintf("acquire lock=%d, flags=0x%x, tag=\"%s\", name=%s, ws=%s, uid=%d, pid=%d", r.Int31(), pick(r, 1, 0x1a, 0x20000001), wakeTag(r), pkg(r), workSource(r), 1000+r.Intn(9000), 100+r.Intn(30000))
	}},
	{"release", 25, func(r *rand.Rand) string {
		return fmt.Sprintf("release lock=%d, flags=0x%x, tag=\"%s\", name=%s, ws=%s, uid=%d, pid=%d", r.Int31(), pick(r, 0, 1), wakeTag(r), pkg(r), workSource(r), 1000+r.Intn(9000), 100+r.Intn(30000))
	}},
	{"start-proc", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("Start proc %d:%s/u0a%d for %s %s", 100+r.Intn(30000), pkg(r), r.Intn(300), pick(r, "service", "activity", "broadcast", "content provider"), pkg(r)+"/."+pick(r, "MainActivity", "SyncService", "push.PushReceiver"))
	}},
	{"killing", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("Killing %d:%s/u0a%d (adj %d): %s", 100+r.Intn(30000), pkg(r), r.Intn(300), pick(r, 900, 906, 200), pick(r, "empty #17", "remove task", "depends on provider com.android.providers.media"))
	}},
	{"lights", 8, func(r *rand.Rand) string { return fmt.Sprintf("setLightsOn(%t)", r.Intn(2) == 0) }},
	{"skipping", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("Skipping AppWindowToken{%s token=Token{%s ActivityRecord{%s u0 %s/%s t%d}}} -- going to hide", hexN(r, 7), hexN(r, 7), hexN(r, 7), pkg(r), ".ui.LauncherUI", r.Intn(900))
	}},
	{"screen-on", 3, func(r *rand.Rand) string {
		return fmt.Sprintf("Screen on, reason: %s", pick(r, "power button", "timeout", "proximity sensor"))
	}},
	{"screen-off", 3, func(r *rand.Rand) string {
		return fmt.Sprintf("Screen off, reason: %s", pick(r, "power button", "timeout", "proximity sensor"))
	}},
	{"userActivity", 10, func(r *rand.Rand) string {
		return fmt.Sprintf("userActivityNoUpdateLocked: eventTime=%d, event=%d, flags=0x%d, uid=%d", 100000000+r.Intn(900000000), r.Intn(3), r.Intn(3), 1000+r.Intn(9000))
	}},
	{"battery", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("level:%d, scale:100, status:%d, health:2, present:true, voltage: %d, temperature: %d, technology: Li-ion, AC powered:false, USB powered:%t", r.Intn(101), r.Intn(5), 3600+r.Intn(700), 200+r.Intn(200), r.Intn(2) == 0)
	}},
	{"gc", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("Background concurrent copying GC freed %d(%s) AllocSpace objects, %d(%s) LOS objects, %d%% free, %s/%s, paused %s total %s", r.Intn(90000), byteSize(r), r.Intn(40), byteSize(r), r.Intn(99), byteSize(r), byteSize(r), javaDur(r), javaDur(r))
	}},
}}

func wakeTag(r *rand.Rand) string {
	return pick(r, "View Lock", "*alarm*", "RILJ_ACK_WL", "NlpWakeLock", "*job*/com.google.android.gms/.gcm.GcmService",
		"WindowManager", "AudioMix", "show keyguard", "WakefulIntentService[GCoreUlr-LocationReportingService]", "GCM_CONN_ALARM")
}

func pkg(r *rand.Rand) string {
	return pick(r, "com.android.systemui", "com.tencent.mm", "com.google.android.gms", "android", "com.android.phone", "com.whatsapp", "com.spotify.music")
}

func workSource(r *rand.Rand) string {
	switch r.Intn(3) {
	case 0:
		return "null"
	case 1:
		return fmt.Sprintf("WorkSource{%d}", 10000+r.Intn(200))
	default:
		return fmt.Sprintf("WorkSource{%d %s}", 10000+r.Intn(200), pkg(r))
	}
}

func javaDur(r *rand.Rand) string {
	return fmt.Sprintf("%.3f%s", r.Float64()*900, pick(r, "ms", "us"))
}

// ---------------------------------------------------------------------------
// Windows Component-Based Servicing (CBS.log) messages.

var windowsCBS = family{"WindowsCBS", []event{
	{"loaded", 6, func(r *rand.Rand) string {
		v := winVer(r)
		return fmt.Sprintf(`Loaded Servicing Stack v%s with Core: C:\Windows\winsxs\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_%s_none_%s\cbscore.dll`, v, v, hexN(r, 16))
	}},
	{"session", 10, func(r *rand.Rand) string {
		return fmt.Sprintf("Session: %d_%d initialized by client %s.", 30000000+r.Intn(900000), r.Int31(), pick(r, "WindowsUpdateAgent", "DISM Package Manager Provider", "SPP"))
	}},
	{"applicability", 25, func(r *rand.Rand) string {
		return fmt.Sprintf("Read out cached package applicability for package: Package_for_KB%d~31bf3856ad364e35~amd64~~%s, ApplicableState: %d, CurrentState:%d", 2000000+r.Intn(999999), winVer(r), pick(r, 0, 80, 112), pick(r, 0, 80, 112))
	}},
	{"hresult-manifest", 8, func(r *rand.Rand) string {
		return fmt.Sprintf("Failed to get next element [HRESULT = 0x%s - %s]", pick(r, "800f080d", "800f0805", "80070002"), pick(r, "CBS_E_MANIFEST_INVALID_ITEM", "CBS_E_INVALID_PACKAGE", "ERROR_FILE_NOT_FOUND"))
	}},
	{"warning-attr", 8, func(r *rand.Rand) string { return "Warning: Unrecognized packageExtended attribute." }},
	{"ti-start", 4, func(r *rand.Rand) string { return "Starting TrustedInstaller initialization." }},
	{"ti-end", 4, func(r *rand.Rand) string { return "Ending TrustedInstaller initialization." }},
	{"sqm-queued", 5, func(r *rand.Rand) string {
		return fmt.Sprintf(`SQM: Queued %d file(s) for upload with pattern: C:\Windows\servicing\sqm\*_%s.sqm, flags: 0x%d`, r.Intn(4), pick(r, "std", "all"), pick(r, 2, 6))
	}},
	{"sqm-cleanup", 4, func(r *rand.Rand) string {
		return fmt.Sprintf(`SQM: Cleaning up report files older than %d days.`, pick(r, 10, 30))
	}},
	{"csi-store", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("Scavenge: Begin CSI Store (%s) took %d ms", pick(r, "primitive", "component"), r.Intn(90000))
	}},
	{"exec-state", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("Exec: Processing started.  Client: %s, Session: %d_%d, Package: Package_for_KB%d~31bf3856ad364e35~amd64~~%s", pick(r, "WindowsUpdateAgent", "TrustedInstaller Finalization"), 30000000+r.Intn(900000), r.Int31(), 2000000+r.Intn(999999), winVer(r))
	}},
	{"reboot", 3, func(r *rand.Rand) string {
		return fmt.Sprintf("Reboot mark set, reboot required: %s", pick(r, "True", "False"))
	}},
}}

func winVer(r *rand.Rand) string {
	return fmt.Sprintf("6.%d.%d.%d", r.Intn(4), 7600+r.Intn(2), 16000+r.Intn(8000))
}

// ---------------------------------------------------------------------------
// macOS system log messages (kernel, Wi-Fi driver, sandbox, power).

var macOS = family{"macOS", []event{
	{"tcpkeep", 12, func(r *rand.Rand) string {
		return fmt.Sprintf("ARPT: %d.%06d: wl0: wl_update_tcpkeep_seq: Original Seq: %d, Ack: %d, Win size: %d", 600000+r.Intn(99999), r.Intn(999999), r.Int31(), r.Int31(), pick(r, 4096, 2048, 65535))
	}},
	{"thunderbolt", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("IOThunderboltSwitch<0>(0x0)::listenerCallback - Thunderbolt HPD packet for route = 0x0 port = %d unplug = %d", r.Intn(16), r.Intn(2))
	}},
	{"sandbox", 10, func(r *rand.Rand) string {
		return fmt.Sprintf("Sandbox: %s(%d) deny(1) %s %s", pick(r, "com.apple.WebKit", "mdworker", "QuickLookSatellite", "Google Chrome He"), 100+r.Intn(90000), pick(r, "file-read-data", "mach-lookup", "network-outbound"), macPath(r))
	}},
	{"channels", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("en0: Supported channels %s", list(r, " ", func(r *rand.Rand) string { return fmt.Sprint(pick(r, 1, 6, 11, 36, 40, 44, 48, 149, 153)) }))
	}},
	{"wake", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("Wake reason: %s", pick(r, "ARPT (Network)", "RTC (Alarm)", "EC.LidOpen (User)", "XHC1"))
	}},
	{"pm-response", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("PM response took %d ms (%d, %s)", r.Intn(3000), r.Intn(900), pick(r, "powerd", "WindowServer", "Google Chrome"))
	}},
	{"hibernate", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("hibernate_setup(%d) took %d ms", r.Intn(2), r.Intn(9000))
	}},
	{"airport-link", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("AirPort: Link %s on %s", pick(r, "Up", "Down"), pick(r, "en0", "awdl0"))
	}},
	{"ca-warning", 4, func(r *rand.Rand) string {
		return "CoreAnimation: warning, deleted thread with uncommitted CATransaction; set CA_DEBUG_TRANSACTIONS=1 in environment to log backtraces."
	}},
	{"mdns", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("mDNS_DeregisterInterface: Frequent transitions for interface %s (%s)", pick(r, "en0", "awdl0", "utun1"), pick(r, ipv4(r), "FE80:0000:0000:0000:1C4E:7DFF:FE3A:2A5B"))
	}},
	{"device-info", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("Device %s: version %s, firmware %d.%d.%d (%s)", pick(r, "Apple Internal Keyboard / Trackpad", "Magic Mouse", "USB2.0 Hub"), fmt.Sprintf("%d.%d", r.Intn(20), r.Intn(100)), r.Intn(10), r.Intn(10), r.Intn(100), pick(r, "build 7A34", "build 15B42", "release"))
	}},
}}

func macPath(r *rand.Rand) string {
	return pick(r, "/private/var/run/mDNSResponder", "/Users/alex/Library/Caches/com.apple.Safari/Cache.db",
		"com.apple.coreservices.launchservicesd", "/Library/Preferences/Logging/.plist-cache.abc123")
}

// ---------------------------------------------------------------------------
// HPC: cluster hardware monitor and the Slurm controller.

var hpc = family{"HPC", []event{
	{"fan", 8, func(r *rand.Rand) string {
		return fmt.Sprintf("Fan speeds ( %s )", list(r, " ", func(r *rand.Rand) string { return fmt.Sprint(3000 + r.Intn(1500)) }))
	}},
	{"psu", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("PSU status ( %s )", list(r, " ", word("on", "off")))
	}},
	{"state", 8, func(r *rand.Rand) string {
		return fmt.Sprintf("node-%d state change from %s to %s", r.Intn(512), pick(r, "UNAVAILABLE", "UP", "DOWN"), pick(r, "UNAVAILABLE", "UP", "DOWN"))
	}},
	{"component", 6, func(r *rand.Rand) string {
		return fmt.Sprintf(`Component State Change: Component "SCSI-WWID:%s" is in the %s state (HWID=%d)`, fmt.Sprintf("01000010:6005-08b4-0001-%s-0006-3000-%s-0000", hexN(r, 4), hexN(r, 4)), pick(r, "unavailable", "running"), r.Intn(5000))
	}},
	{"submit", 12, func(r *rand.Rand) string {
		return fmt.Sprintf("_slurm_rpc_submit_batch_job: JobId=%d InitPrio=%d usec=%d", 100000+r.Intn(900000), r.Int31(), r.Intn(5000))
	}},
	{"allocate", 12, func(r *rand.Rand) string {
		return fmt.Sprintf("sched: Allocate JobId=%d NodeList=%s #CPUs=%d Partition=%s", 100000+r.Intn(900000), nodeList(r), pick(r, 1, 8, 32, 128), pick(r, "batch", "gpu", "debug"))
	}},
	{"complete", 12, func(r *rand.Rand) string {
		return fmt.Sprintf("_job_complete: JobId=%d WEXITSTATUS %d", 100000+r.Intn(900000), pick(r, 0, 0, 1, 137))
	}},
	{"done", 8, func(r *rand.Rand) string {
		return fmt.Sprintf("_job_complete: JobId=%d done", 100000+r.Intn(900000))
	}},
	{"timelimit", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("Time limit exhausted for JobId=%d", 100000+r.Intn(900000))
	}},
	{"not-responding", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("error: Nodes %s not responding", nodeList(r))
	}},
	{"temp", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("ambient=%d threshold exceeded, cpu0 temp %s C", 30+r.Intn(20), signed(r))
	}},
}}

func nodeList(r *rand.Rand) string {
	switch r.Intn(3) {
	case 0:
		return fmt.Sprintf("cn%03d", r.Intn(400))
	case 1:
		a := r.Intn(300)
		return fmt.Sprintf("cn[%03d-%03d]", a, a+1+r.Intn(30))
	default:
		return fmt.Sprintf("cn[%03d,%03d-%03d]", r.Intn(100), 100+r.Intn(50), 160+r.Intn(40))
	}
}

// ---------------------------------------------------------------------------
// OpenStack Nova (compute and API services).

var openstack = family{"OpenStack", []event{
	{"api-get", 25, func(r *rand.Rand) string {
		return fmt.Sprintf(`%s "GET /v2/%s/servers/detail HTTP/1.1" status: 200 len: %d time: %.7f`, ipv4(r), hexN(r, 32), 1500+r.Intn(600), r.Float64())
	}},
	{"api-post", 6, func(r *rand.Rand) string {
		return fmt.Sprintf(`%s "POST /v2/%s/os-server-external-events HTTP/1.1" status: 200 len: %d time: %.7f`, ipv4(r), hexN(r, 32), 300+r.Intn(200), r.Float64())
	}},
	{"api-delete", 5, func(r *rand.Rand) string {
		return fmt.Sprintf(`%s "DELETE /v2/%s/servers/%s HTTP/1.1" status: 204 len: 203 time: %.7f`, ipv4(r), hexN(r, 32), uuid(r), r.Float64())
	}},
	{"vm-started", 4, func(r *rand.Rand) string { return fmt.Sprintf("[instance: %s] VM Started (Lifecycle Event)", uuid(r)) }},
	{"vm-stopped", 3, func(r *rand.Rand) string { return fmt.Sprintf("[instance: %s] VM Stopped (Lifecycle Event)", uuid(r)) }},
	{"vm-paused", 3, func(r *rand.Rand) string { return fmt.Sprintf("[instance: %s] VM Paused (Lifecycle Event)", uuid(r)) }},
	{"vm-resumed", 3, func(r *rand.Rand) string { return fmt.Sprintf("[instance: %s] VM Resumed (Lifecycle Event)", uuid(r)) }},
	{"spawn", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("[instance: %s] Took %.2f seconds to spawn the instance on the hypervisor.", uuid(r), r.Float64()*30)
	}},
	{"build", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("[instance: %s] Took %.2f seconds to build instance.", uuid(r), r.Float64()*30)
	}},
	{"claim", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("[instance: %s] Claim successful", uuid(r))
	}},
	{"resource-view", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("Final resource view: name=%s phys_ram=%dMB used_ram=%dMB phys_disk=%dGB used_disk=%dGB total_vcpus=%d used_vcpus=%d pci_stats=[]", computeHost(r), 64172, 512*(1+r.Intn(20)), 15, r.Intn(40), 16, r.Intn(16))
	}},
	{"audit", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("Auditing locally available compute resources for node %s", computeHost(r))
	}},
	{"vcpus", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("Total usable vcpus: %d, total allocated vcpus: %d", 16, r.Intn(16))
	}},
	{"usage-audit", 3, func(r *rand.Rand) string {
		n := r.Intn(4)
		s := "instances"
		if n == 1 {
			s = "instance"
		}
		return fmt.Sprintf("Running instance usage audit for host %s from 2017-05-16 %02d:00:00 to 2017-05-16 %02d:00:00. %d %s.", computeHost(r), r.Intn(23), r.Intn(23), n, s)
	}},
	{"image-cache", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("image %s at (%s): checking", hexN(r, 40), "/var/lib/nova/instances/_base/"+hexN(r, 40))
	}},
}}

func computeHost(r *rand.Rand) string {
	return pick(r, "cp-1.slowvm1.tcloud-pg0.utah.cloudlab.us", "compute-7.rack2.example.net", "nova-compute-03")
}

// ---------------------------------------------------------------------------
// Thunderbird / BGL-style cluster syslog messages.

var clusterSyslog = family{"ClusterSyslog", []event{
	{"ntp", 8, func(r *rand.Rand) string {
		return fmt.Sprintf("synchronized to %s, stratum %d", ipv4(r), 1+r.Intn(4))
	}},
	{"session-open", 12, func(r *rand.Rand) string {
		return fmt.Sprintf("session opened for user %s by (uid=%d)", pick(r, "root", "nagios", "jsmith", "hpcuser42"), r.Intn(600))
	}},
	{"session-close", 12, func(r *rand.Rand) string {
		return fmt.Sprintf("session closed for user %s", pick(r, "root", "nagios", "jsmith", "hpcuser42"))
	}},
	{"cron", 8, func(r *rand.Rand) string {
		return fmt.Sprintf("(%s) CMD (%s)", pick(r, "root", "nagios"), pick(r, "run-parts /etc/cron.hourly", "/usr/lib64/sa/sa1 1 1", "/opt/check.sh > /dev/null 2>&1"))
	}},
	{"accepted-publickey", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("Accepted publickey for %s from %s port %d ssh2", pick(r, "root", "jsmith"), ipv4(r), 1024+r.Intn(60000))
	}},
	{"accepted-password", 3, func(r *rand.Rand) string {
		return fmt.Sprintf("Accepted password for %s from %s port %d ssh2", pick(r, "root", "jsmith"), ipv4(r), 1024+r.Intn(60000))
	}},
	{"accepted-kbd", 2, func(r *rand.Rand) string {
		return fmt.Sprintf("Accepted keyboard-interactive/pam for %s from %s port %d ssh2", pick(r, "root", "jsmith"), ipv4(r), 1024+r.Intn(60000))
	}},
	{"ib-sweep", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("[ib_sm_sweep.c:%d]: No topology change", 1000+r.Intn(900))
	}},
	{"ib-bringup", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("[ib_sm_bringup.c:%d]: Sweep %d completed, %d nodes found", 500+r.Intn(500), r.Intn(9999), 1+r.Intn(4000))
	}},
	{"ecc", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("EDAC MC%d: CE page 0x%x, offset 0x%x, grain %d, syndrome 0x%x, row %d, channel %d, label \"%s\": k8_edac", r.Intn(2), r.Intn(1<<20), r.Intn(4096), 8, r.Intn(256), r.Intn(8), r.Intn(2), pick(r, "", "DIMM 1", "CPU0 DIMM A2"))
	}},
	{"rpc-timeout", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("nfs: server %s not responding, still trying", pick(r, "fs1", "home-nfs.example.edu", ipv4(r)))
	}},
	{"link-down", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("%s: link down", pick(r, "eth0", "eth1", "ib0", "bond0"))
	}},
	{"link-up", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("%s: link up, %s, %s duplex", pick(r, "eth0", "eth1", "bond0"), pick(r, "100Mbps", "1000Mbps", "10 Gbps"), pick(r, "full", "half"))
	}},
	{"ras-kernel", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("instruction cache parity error corrected (%d total)", 1+r.Intn(900))
	}},
	{"mount-failed", 3, func(r *rand.Rand) string {
		return fmt.Sprintf("mount: %s: can't read superblock on /dev/%s", "wrong fs type, bad option", pick(r, "sdb1", "md0", "nvme0n1p2"))
	}},
}}

// ---------------------------------------------------------------------------
// AWS Lambda: runtime platform lines in text format, runtime text lines of
// Node.js and Java, and JSON-format system logs.

var lambda = family{"Lambda", []event{
	{"start", 15, func(r *rand.Rand) string {
		return fmt.Sprintf("START RequestId: %s Version: %s", uuid(r), pick(r, "$LATEST", "12", "3"))
	}},
	{"end", 15, func(r *rand.Rand) string { return fmt.Sprintf("END RequestId: %s", uuid(r)) }},
	{"report", 15, func(r *rand.Rand) string {
		s := fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB", uuid(r), r.Float64()*3000, 1+r.Intn(3000), pick(r, 128, 512, 1024), 40+r.Intn(200))
		if r.Intn(4) == 0 {
			s += fmt.Sprintf("\tInit Duration: %.2f ms", 100+r.Float64()*900)
		}
		return s
	}},
	{"timeout", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("%s %s Task timed out after %.2f seconds", isoTime(r), uuid(r), float64(pick(r, 3, 15, 30, 900)))
	}},
	{"node-error", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("%s\t%s\tERROR\tInvoke Error \t{\"errorType\":\"%s\",\"errorMessage\":\"%s\",\"stack\":[\"%s: %s\",\"    at Runtime.handler (/var/task/index.js:%d:%d)\"]}", isoTime(r), uuid(r), pick(r, "Error", "TypeError"), "connect ECONNREFUSED "+ipv4(r)+":5432", "Error", "boom", r.Intn(200), r.Intn(40))
	}},
	{"node-warn", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("%s\t%s\tWARN\tretrying %s after %d ms (attempt %d)", isoTime(r), uuid(r), pick(r, "GetItem", "PutObject", "SendMessage"), r.Intn(2000), 1+r.Intn(5))
	}},
	{"java-info", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("%s %s INFO  Handler - processed %d records in %d ms", isoTime(r), uuid(r), r.Intn(500), r.Intn(9000))
	}},
	{"init-start", 5, func(r *rand.Rand) string {
		return fmt.Sprintf(`{"time":"%s","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init","runtimeVersion":"%s","runtimeVersionArn":"arn:aws:lambda:us-east-1::runtime:%s","functionName":"%s","functionVersion":"$LATEST"}}`, isoTime(r), pick(r, "nodejs:20.v13", "python:3.12.v18", "java:21.v9"), hexN(r, 64), pick(r, "orders-api", "thumbnailer", "ingest"))
	}},
	{"platform-report", 8, func(r *rand.Rand) string {
		init := ""
		if r.Intn(3) == 0 {
			init = fmt.Sprintf(`,"initDurationMs":%.3f`, 100+r.Float64()*900)
		}
		return fmt.Sprintf(`{"time":"%s","type":"platform.report","record":{"requestId":"%s","metrics":{"durationMs":%.3f,"billedDurationMs":%d,"memorySizeMB":%d,"maxMemoryUsedMB":%d%s},"status":"%s"}}`, isoTime(r), uuid(r), r.Float64()*3000, 1+r.Intn(3000), pick(r, 128, 512, 1024), 40+r.Intn(200), init, pick(r, "success", "timeout", "error"))
	}},
	{"platform-start", 6, func(r *rand.Rand) string {
		return fmt.Sprintf(`{"time":"%s","type":"platform.start","record":{"requestId":"%s","version":"$LATEST"}}`, isoTime(r), uuid(r))
	}},
	{"app-json-stored", 6, func(r *rand.Rand) string {
		return fmt.Sprintf(`{"timestamp":"%s","level":"INFO","message":"order stored","orderId":"%s","items":%d,"requestId":"%s"}`, isoTime(r), pick(r, "A-1001", "B-77", uuid(r)), 1+r.Intn(9), uuid(r))
	}},
	{"app-json-declined", 4, func(r *rand.Rand) string {
		return fmt.Sprintf(`{"timestamp":"%s","level":"ERROR","message":"payment declined","reason":"%s","amount":%.2f,"requestId":"%s"}`, isoTime(r), pick(r, "insufficient funds", "card expired", "fraud"), r.Float64()*500, uuid(r))
	}},
}}

func isoTime(r *rand.Rand) string {
	return fmt.Sprintf("2024-0%d-%02dT%02d:%02d:%02d.%03dZ", 1+r.Intn(9), 1+r.Intn(28), r.Intn(24), r.Intn(60), r.Intn(60), r.Intn(1000))
}

// ---------------------------------------------------------------------------
// JVM services (Spring Boot, HikariCP, Kafka client), message part only.

var jvm = family{"JVM", []event{
	{"started", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("Started %s in %.3f seconds (process running for %.3f)", pick(r, "OrderServiceApplication", "GatewayApplication"), 2+r.Float64()*20, 3+r.Float64()*20)
	}},
	{"tomcat", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("Tomcat started on port(s): %s with context path '%s'", list(r, " ", func(r *rand.Rand) string {
			return fmt.Sprintf("%d (%s)", pick(r, 8080, 8443, 9090), pick(r, "http", "https"))
		}), pick(r, "", "/api"))
	}},
	{"hikari-start", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("HikariPool-%d - Start completed.", 1+r.Intn(3))
	}},
	{"hikari-stats", 12, func(r *rand.Rand) string {
		return fmt.Sprintf("HikariPool-%d - Pool stats (total=%d, active=%d, idle=%d, waiting=%d)", 1+r.Intn(3), 10, r.Intn(11), r.Intn(11), r.Intn(5))
	}},
	{"hikari-timeout", 6, func(r *rand.Rand) string {
		return fmt.Sprintf("HikariPool-%d - Connection is not available, request timed out after %dms.", 1+r.Intn(3), 30000+r.Intn(5))
	}},
	{"kafka-commit", 10, func(r *rand.Rand) string {
		return fmt.Sprintf("[Consumer clientId=consumer-%s-%d, groupId=%s] Committed offset %d for partition %s-%d", pick(r, "orders", "billing"), 1+r.Intn(9), pick(r, "orders", "billing"), r.Int63n(1e9), pick(r, "orders", "payments.v2"), r.Intn(12))
	}},
	{"kafka-revoke", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("[Consumer clientId=consumer-%s-%d, groupId=%s] Revoke previously assigned partitions %s", pick(r, "orders", "billing"), 1+r.Intn(9), pick(r, "orders", "billing"), list(r, ", ", func(r *rand.Rand) string { return fmt.Sprintf("%s-%d", pick(r, "orders", "payments.v2"), r.Intn(12)) }))
	}},
	{"gc-pause", 8, func(r *rand.Rand) string {
		return fmt.Sprintf("GC(%d) Pause Young (Normal) (G1 Evacuation Pause) %dM->%dM(%dM) %.3fms", r.Intn(9000), 100+r.Intn(900), 50+r.Intn(400), 1024, r.Float64()*80)
	}},
	{"exception-npe", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("Servlet.service() for servlet [dispatcherServlet] in context with path [%s] threw exception [Request processing failed: java.lang.NullPointerException] with root cause", pick(r, "", "/api"))
	}},
	{"exception-timeout", 3, func(r *rand.Rand) string {
		return fmt.Sprintf("Servlet.service() for servlet [dispatcherServlet] in context with path [%s] threw exception [Request processing failed: java.net.SocketTimeoutException: Read timed out] with root cause", pick(r, "", "/api"))
	}},
	{"request", 15, func(r *rand.Rand) string {
		return fmt.Sprintf("Completed %d %s in %dms", pick(r, 200, 201, 404, 500), pick(r, "OK", "CREATED", "NOT_FOUND", "INTERNAL_SERVER_ERROR"), r.Intn(2000))
	}},
	{"cache", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("Cache '%s' evicted %d entries (%s) in %s", pick(r, "products", "user-sessions"), r.Intn(1e5), byteSize(r), pick(r, "12 ms", "1.5 s", "350ms"))
	}},
}}

// ---------------------------------------------------------------------------
// nginx error log and Kubernetes events (the message columns of
// "kubectl get events").

var nginxK8s = family{"NginxK8s", []event{
	{"upstream-refused", 12, func(r *rand.Rand) string {
		return fmt.Sprintf(`%d#%d: *%d connect() failed (111: Connection refused) while connecting to upstream, client: %s, server: %s, request: "%s %s HTTP/1.1", upstream: "http://%s:%d%s", host: "%s"`, r.Intn(9999), 0, r.Intn(1e7), ipv4(r), pick(r, "api.example.com", "_"), pick(r, "GET", "POST"), urlPath(r), ipv4(r), pick(r, 8080, 3000), urlPath(r), hostName(r))
	}},
	{"upstream-timeout", 8, func(r *rand.Rand) string {
		return fmt.Sprintf(`%d#%d: *%d upstream timed out (110: Connection timed out) while reading response header from upstream, client: %s, server: %s, request: "%s %s HTTP/1.1", upstream: "http://%s:%d%s", host: "%s"`, r.Intn(9999), 0, r.Intn(1e7), ipv4(r), pick(r, "api.example.com", "_"), pick(r, "GET", "POST"), urlPath(r), ipv4(r), pick(r, 8080, 3000), urlPath(r), hostName(r))
	}},
	{"body-buffered", 5, func(r *rand.Rand) string {
		return fmt.Sprintf(`%d#%d: *%d a client request body is buffered to a temporary file /var/cache/nginx/client_temp/%010d, client: %s, server: %s, request: "POST %s HTTP/1.1", host: "%s"`, r.Intn(9999), 0, r.Intn(1e7), r.Intn(1e9), ipv4(r), pick(r, "api.example.com", "_"), urlPath(r), hostName(r))
	}},
	{"scheduled", 10, func(r *rand.Rand) string {
		return fmt.Sprintf("Successfully assigned %s/%s to %s", pick(r, "default", "payments"), podName(r), pick(r, "ip-10-0-1-23.ec2.internal", "node-17.cluster.local", "gke-main-pool-3f2a1b-xk2p"))
	}},
	{"pulling", 8, func(r *rand.Rand) string { return fmt.Sprintf(`Pulling image "%s"`, image(r)) }},
	{"pulled", 8, func(r *rand.Rand) string {
		d := fmt.Sprintf("%.3fs", r.Float64()*30)
		if r.Intn(2) == 0 {
			d = fmt.Sprintf("%dm%.3fs", 1+r.Intn(3), r.Float64()*60)
		}
		return fmt.Sprintf(`Successfully pulled image "%s" in %s (%s including waiting)`, image(r), d, d)
	}},
	{"backoff", 8, func(r *rand.Rand) string {
		return fmt.Sprintf("Back-off restarting failed container %s in pod %s_%s(%s)", pick(r, "app", "sidecar", "istio-proxy"), podName(r), pick(r, "default", "payments"), uuid(r))
	}},
	{"liveness", 5, func(r *rand.Rand) string {
		a := ipv4(r)
		return fmt.Sprintf(`Liveness probe failed: Get "http://%s:8080/healthz": dial tcp %s:8080: connect: connection refused`, a, a)
	}},
	{"readiness", 4, func(r *rand.Rand) string {
		a := ipv4(r)
		return fmt.Sprintf(`Readiness probe failed: Get "http://%s:%d/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, a, pick(r, 8080, 9000))
	}},
	{"oom", 4, func(r *rand.Rand) string {
		return fmt.Sprintf("Memory cgroup out of memory: Killed process %d (%s) total-vm:%dkB, anon-rss:%dkB, file-rss:%dkB, shmem-rss:0kB", r.Intn(99999), pick(r, "java", "node", "python3"), r.Intn(1e7), r.Intn(1e6), r.Intn(1e5))
	}},
	{"failed-sched", 5, func(r *rand.Rand) string {
		return fmt.Sprintf("0/%d nodes are available: %d Insufficient %s.", 3+r.Intn(10), 1+r.Intn(3), pick(r, "cpu", "memory"))
	}},
}}

func urlPath(r *rand.Rand) string {
	return pick(r, "/", "/api/v1/orders", fmt.Sprintf("/api/v1/orders/%d", r.Intn(1e6)), "/health", fmt.Sprintf("/static/app.%s.js", hexN(r, 8)))
}

func podName(r *rand.Rand) string {
	return fmt.Sprintf("%s-%s-%s", pick(r, "web", "worker", "payments-api"), hexN(r, 9), hexN(r, 5))
}

func image(r *rand.Rand) string {
	return pick(r, "nginx:1.25.3", "public.ecr.aws/docker/library/redis:7.2", fmt.Sprintf("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v%d.%d.%d", r.Intn(3), r.Intn(20), r.Intn(50)), "busybox")
}

// corpus is every family with its line count.
var corpus = []family{proxifier, android, windowsCBS, macOS, hpc, openstack, clusterSyslog, lambda, jvm, nginxK8s}

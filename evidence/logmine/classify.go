package logmine

import "strings"

// classifyWhole decides whether a whole field core (brackets and trailing
// punctuation already stripped) is one typed value. skip is a number of
// leading bytes to keep as constant text (the "/" of "/10.1.2.3:80").
func classifyWhole(s string) (typ uint8, skip int) {
	if len(s) >= 2 && s[0] == '/' {
		if isIP(s[1:]) {
			return tIP, 1
		}
		if isPath(s) {
			return tPath, 0
		}
		return tConst, 0
	}
	if len(s) > 4 && s[0] == 'a' && s[1] == 'r' && s[2] == 'n' && s[3] == ':' {
		return tARN, 0
	}
	if hasScheme(s) {
		return tURL, 0
	}
	if isWinPath(s) {
		return tPath, 0
	}
	digit, dot := false, false
	for i := 0; i < len(s); i++ {
		if cls[s[i]]&cDigit != 0 {
			digit = true
			break
		}
		dot = dot || s[i] == '.'
	}
	if !digit {
		if isBool(s) {
			return tAny, 0
		}
		if !dot {
			return tConst, 0
		}
		return dottedName(s), 0
	}
	if isIP(s) {
		return tIP, 0
	}
	if isTS(s) {
		return tTS, 0
	}
	if isIPv6(s) {
		return tIP, 0
	}
	if t := classifySeg(s); t != tConst {
		return t, 0
	}
	return dottedName(s), 0
}

// isBool: the literals of booleans and of no value are values of a
// parameter, never words of a message.
func isBool(s string) bool {
	switch s {
	case "true", "false", "True", "False", "TRUE", "FALSE", "null", "nil", "None":
		return true
	}
	return false
}

// isWinPath: "C:\Windows\..." or "\\server\share".
func isWinPath(s string) bool {
	if len(s) >= 3 && cls[s[0]]&cAlpha != 0 && s[1] == ':' && s[2] == '\\' {
		return true
	}
	return len(s) >= 3 && s[0] == '\\' && s[1] == '\\' && cls[s[2]]&cWord != 0
}

// dottedName types a dotted name: a host name when its last label is a
// top-level domain ("www.example.com", "db.cluster.local", optionally
// with ":port"), a file name when it ends in a common file extension
// ("chrome.exe", "index.js"). Other dotted words (Java packages and
// classes, configuration keys) stay words: they name code, not values.
func dottedName(s string) uint8 {
	if strings.IndexByte(s, '.') < 0 {
		return tConst
	}
	end := len(s)
	port := false
	if i := strings.LastIndexByte(s, ':'); i > 0 {
		for j := i + 1; j < len(s); j++ {
			if cls[s[j]]&cDigit == 0 {
				return tConst
			}
		}
		if i+1 == len(s) {
			return tConst
		}
		end, port = i, true
	}
	last, labels, lower := -1, 0, true
	for i := 0; i <= end; i++ {
		if i == end || s[i] == '.' {
			if i == last+1 {
				return tConst
			}
			labels++
			last = i
			continue
		}
		c := s[i]
		if cls[c]&cWord == 0 || c == '.' {
			return tConst
		}
		if c >= 'A' && c <= 'Z' {
			lower = false
		}
	}
	if labels < 2 {
		return tConst
	}
	// reverse-DNS names (com.apple.quicklook, org.mortbay.log) name
	// bundles and packages, not hosts or files
	if reverseDNS[s[:strings.IndexByte(s, '.')]] {
		return tConst
	}
	tail := s[strings.LastIndexByte(s[:end], '.')+1 : end]
	if !port && fileExts[strings.ToLower(tail)] {
		return tPath
	}
	if lower && tlds[tail] {
		return tHost
	}
	return tConst
}

var tlds = setOf("com", "net", "org", "edu", "gov", "mil", "int", "io", "co", "us", "uk", "de", "fr", "jp",
	"cn", "hk", "tw", "kr", "in", "ru", "br", "au", "ca", "nl", "eu", "ch", "se", "info", "biz", "dev",
	"app", "cloud", "local", "internal", "lan", "localdomain", "arpa")

var reverseDNS = setOf("com", "org", "net", "edu", "gov", "io", "de", "uk", "fr", "jp", "cn")

var fileExts = setOf("exe", "dll", "sys", "so", "dylib", "js", "mjs", "py", "pyc", "rb", "go", "java",
	"class", "jar", "war", "c", "h", "cpp", "cc", "hpp", "cs", "php", "pl", "sh", "bat", "ps1", "cmd",
	"log", "txt", "csv", "json", "yaml", "yml", "xml", "toml", "ini", "conf", "cfg", "properties",
	"plist", "html", "htm", "css", "png", "jpg", "gif", "svg", "pdf", "zip", "gz", "tgz", "tar", "bz2",
	"xz", "rar", "db", "sqlite", "sql", "dat", "bin", "img", "iso", "tmp", "bak", "pid", "sock", "lock",
	"sqm", "mf", "msi", "cab", "mum", "manifest")

func setOf(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// classifySeg types a run of word characters that contains a digit.
func classifySeg(s string) uint8 {
	if isIP(s) {
		return tIP
	}
	if isUUID(s) {
		return tUUID
	}
	if t := numType(s); t != tConst {
		return t
	}
	if isHex(s) {
		return tHex
	}
	if isTS(s) {
		return tTS
	}
	return tConst
}

func isPath(s string) bool {
	// "/a/b", "/a1": a path, but a lone "/" or "/word" is punctuation or a
	// constant route.
	slashes, digit := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '/' {
			slashes++
		} else if cls[c]&cDigit != 0 {
			digit = true
		} else if cls[c]&cSpace != 0 {
			return false
		}
	}
	return slashes >= 2 || digit
}

func hasScheme(s string) bool {
	for i := 0; i < len(s) && i < 12; i++ {
		c := s[i]
		if c == ':' {
			return i > 0 && len(s) > i+3 && s[i+1] == '/' && s[i+2] == '/'
		}
		if cls[c]&cAlpha == 0 && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return false
}

// isIP: a.b.c.d with optional :port or /prefix.
func isIP(s string) bool {
	i, dots := 0, 0
	for part := 0; part < 4; part++ {
		j := i
		for j < len(s) && j-i < 3 && cls[s[j]]&cDigit != 0 {
			j++
		}
		if j == i {
			return false
		}
		i = j
		if part < 3 {
			if i >= len(s) || s[i] != '.' {
				return false
			}
			i++
			dots++
		}
	}
	if i == len(s) {
		return true
	}
	if s[i] != ':' && s[i] != '/' {
		return false
	}
	i++
	if i == len(s) {
		return false
	}
	for ; i < len(s); i++ {
		if cls[s[i]]&cDigit == 0 {
			return false
		}
	}
	return true
}

func isIPv6(s string) bool {
	colons, dbl := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ':' {
			colons++
			if i > 0 && s[i-1] == ':' {
				dbl = true
			}
		} else if cls[c]&cHex == 0 && c != '.' && c != '%' {
			return false
		}
	}
	return colons >= 4 || (dbl && colons >= 2)
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
		} else if cls[c]&cHex == 0 {
			return false
		}
	}
	return true
}

// isTS: only digits and date/time separators, starting with a digit, with a
// time (h:mm) or a date (two - or / separators) in it.
func isTS(s string) bool {
	if cls[s[0]]&cDigit == 0 {
		return false
	}
	colons, dashes, slashes := 0, 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case cls[c]&cDigit != 0:
		case c == ':':
			colons++
		case c == '-':
			dashes++
		case c == '/':
			slashes++
		case c == '.' || c == ',' || c == '+':
		case cls[c]&cAlpha != 0:
			// T and Z of ISO 8601, or a month name ("04/Dec/2005:04:47:44")
			j := i
			for j < len(s) && cls[s[j]]&cAlpha != 0 {
				j++
			}
			if !(j-i == 1 && (c == 'T' || c == 'Z')) && !isMonthOrDay(s[i:j]) {
				return false
			}
			i = j - 1
		default:
			return false
		}
	}
	return colons >= 1 || dashes >= 2 || slashes >= 2
}

// numType: [+-]digits[.,digits][e[+-]digits] with an optional unit of up to
// four letters or '%'. Time units make a duration.
func numType(s string) uint8 {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	st := i
	for i < len(s) && (cls[s[i]]&cDigit != 0 || ((s[i] == '.' || s[i] == ',') && i > st && i+1 < len(s) && cls[s[i+1]]&cDigit != 0)) {
		i++
	}
	if i == st {
		return tConst
	}
	if i+1 < len(s) && (s[i] == 'e' || s[i] == 'E') && (cls[s[i+1]]&cDigit != 0 || ((s[i+1] == '-' || s[i+1] == '+') && i+2 < len(s) && cls[s[i+2]]&cDigit != 0)) {
		j := i + 2
		for j < len(s) && cls[s[j]]&cDigit != 0 {
			j++
		}
		if j == len(s) {
			return tNum
		}
	}
	u := s[i:]
	if len(u) == 0 {
		return tNum
	}
	if u == "%" {
		return tNum
	}
	if len(u) > 4 {
		return tConst
	}
	for j := 0; j < len(u); j++ {
		if cls[u[j]]&cAlpha == 0 || u[j] >= 0x80 {
			return tConst
		}
	}
	switch u {
	case "ns", "us", "ms", "s", "m", "h", "min", "mins", "sec", "secs", "hr", "hrs", "d":
		return tDur
	}
	return tNum
}

// isHex: 0x-prefixed, or at least 8 hex digits mixing digits and letters
// (ids, hashes); shorter mixes are left to the generic variable type.
func isHex(s string) bool {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		for i := 2; i < len(s); i++ {
			if cls[s[i]]&cHex == 0 {
				return false
			}
		}
		return true
	}
	if len(s) < 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if cls[s[i]]&cHex == 0 {
			return false
		}
	}
	return true
}

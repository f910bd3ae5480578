// Package xrayfilter evaluates the common subset of X-Ray filter
// expressions locally, so a snapshot answers get_traces the way X-Ray
// would: fault, error, throttle, ok (alone or = / != true or false), service("name"), http.status,
// http.method, http.url, responsetime and duration compared with
// = != < <= > >=, combined with AND, OR, ! and parentheses. Anything else
// is rejected with an error naming its position and what is supported.
package xrayfilter

import (
	"fmt"
	"strings"
	"unicode"
)

// Supported lists the forms this package evaluates, for error messages.
const Supported = `fault, error, throttle, ok (alone or = true/false), service("name"), http.status, http.method, http.url, responsetime, duration with = != < <= > >= (CONTAINS/BEGINSWITH/ENDSWITH for strings), AND, OR, ! and parentheses`

// ParseError is a syntax error at a byte offset of the expression.
type ParseError struct {
	Pos int // 0-based byte offset
	Msg string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("filter expression: %s at position %d (supported: %s)", e.Msg, e.Pos+1, Supported)
}

type tokenKind int

const (
	tEOF tokenKind = iota
	tIdent
	tNumber
	tString
	tOp     // = != < <= > >=
	tNot    // !
	tLParen // (
	tRParen // )
	tLBrace // {
	tRBrace // }
	tComma
)

type token struct {
	kind tokenKind
	text string
	pos  int
}

func (t token) String() string {
	if t.kind == tEOF {
		return "end of expression"
	}
	return fmt.Sprintf("%q", t.text)
}

// lex splits the expression into tokens.
func lex(src string) ([]token, error) {
	var out []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			out = append(out, token{tLParen, "(", i})
			i++
		case c == ')':
			out = append(out, token{tRParen, ")", i})
			i++
		case c == '{':
			out = append(out, token{tLBrace, "{", i})
			i++
		case c == '}':
			out = append(out, token{tRBrace, "}", i})
			i++
		case c == ',':
			out = append(out, token{tComma, ",", i})
			i++
		case c == '!':
			if i+1 < len(src) && src[i+1] == '=' {
				out = append(out, token{tOp, "!=", i})
				i += 2
			} else {
				out = append(out, token{tNot, "!", i})
				i++
			}
		case c == '=' || c == '<' || c == '>':
			op := string(c)
			if c != '=' && i+1 < len(src) && src[i+1] == '=' {
				op += "="
			}
			out = append(out, token{tOp, op, i})
			i += len(op)
		case c == '"':
			j := i + 1
			var b strings.Builder
			for ; j < len(src) && src[j] != '"'; j++ {
				if src[j] == '\\' && j+1 < len(src) {
					j++
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) {
				return nil, &ParseError{i, "unterminated string"}
			}
			out = append(out, token{tString, b.String(), i})
			i = j + 1
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			out = append(out, token{tNumber, src[i:j], i})
			i = j
		case unicode.IsLetter(rune(c)) || c == '_':
			j := i
			for j < len(src) && (unicode.IsLetter(rune(src[j])) || unicode.IsDigit(rune(src[j])) || src[j] == '_' || src[j] == '.') {
				j++
			}
			out = append(out, token{tIdent, src[i:j], i})
			i = j
		default:
			return nil, &ParseError{i, fmt.Sprintf("unexpected character %q", c)}
		}
	}
	return append(out, token{tEOF, "", len(src)}), nil
}

package xrayfilter

import (
	"fmt"
	"strconv"
	"strings"
)

// Fields are the properties of a trace that expressions test.
type Fields struct {
	Fault, Error, Throttle bool
	HTTPStatus             int
	HTTPMethod             string
	URL                    string
	ResponseTime           float64 // seconds
	Duration               float64 // seconds
	Services               []string
}

// Expr is a parsed filter expression.
type Expr interface {
	Eval(f Fields) bool
}

// Limits on an expression, so that parsing and evaluating it per trace
// stays cheap whatever a caller sends.
const (
	MaxLen   = 2048 // bytes of expression text
	MaxDepth = 32   // nested parentheses and negations
)

// Parse reads an expression. The empty expression matches every trace.
func Parse(src string) (Expr, error) {
	if len(src) > MaxLen {
		return nil, &ParseError{MaxLen, fmt.Sprintf("the expression is %d bytes long; at most %d are allowed", len(src), MaxLen)}
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	if p.peek().kind == tEOF {
		return always{}, nil
	}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, &ParseError{t.pos, fmt.Sprintf("expected AND, OR or the end, found %s", t)}
	}
	return e, nil
}

type parser struct {
	toks  []token
	i     int
	depth int // current nesting of parentheses and negations
}

// enter counts one more level of nesting, failing past MaxDepth; the
// caller defers p.leave().
func (p *parser) enter(pos int) error {
	p.depth++
	if p.depth > MaxDepth {
		return &ParseError{pos, fmt.Sprintf("the expression nests more than %d levels of parentheses or negations", MaxDepth)}
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func isWord(t token, w string) bool { return t.kind == tIdent && strings.EqualFold(t.text, w) }

func (p *parser) or() (Expr, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for isWord(p.peek(), "or") {
		p.next()
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		left = orExpr{left, right}
	}
	return left, nil
}

func (p *parser) and() (Expr, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for isWord(p.peek(), "and") {
		p.next()
		right, err := p.unary()
		if err != nil {
			return nil, err
		}
		left = andExpr{left, right}
	}
	return left, nil
}

func (p *parser) unary() (Expr, error) {
	if t := p.peek(); t.kind == tNot {
		p.next()
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		defer p.leave()
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		return notExpr{e}, nil
	}
	return p.primary()
}

func (p *parser) primary() (Expr, error) {
	t := p.next()
	switch t.kind {
	case tLParen:
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		defer p.leave()
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRParen {
			return nil, &ParseError{c.pos, fmt.Sprintf("expected ), found %s", c)}
		}
		return e, nil
	case tIdent:
	default:
		return nil, &ParseError{t.pos, fmt.Sprintf("expected a keyword such as fault or http.status, found %s", t)}
	}
	name := strings.ToLower(t.text)
	switch name {
	case "fault", "error", "throttle", "ok":
		return p.flag(t, name)
	case "and", "or":
		return nil, &ParseError{t.pos, fmt.Sprintf("%s needs an expression on its left", strings.ToUpper(name))}
	case "service":
		return p.service(t)
	case "http.status", "responsetime", "duration":
		return p.numeric(t, name)
	case "http.method", "http.url":
		return p.text(t, name)
	}
	return nil, &ParseError{t.pos, fmt.Sprintf("%q is not supported here", t.text)}
}

// flag reads a boolean keyword alone ("fault") or compared with a boolean,
// as X-Ray documents it ("fault = true", "ok = false", "error != true").
func (p *parser) flag(kw token, name string) (Expr, error) {
	var e Expr = flagExpr(name)
	op := p.peek()
	if op.kind != tOp {
		return e, nil
	}
	p.next()
	if op.text != "=" && op.text != "!=" {
		return nil, &ParseError{op.pos, fmt.Sprintf("%s compares with = or != and true or false, found %s", kw.text, op)}
	}
	v := p.next()
	var want bool
	switch {
	case isWord(v, "true"):
		want = true
	case isWord(v, "false"):
	default:
		return nil, &ParseError{v.pos, fmt.Sprintf("%s compares with true or false, found %s", kw.text, v)}
	}
	if want != (op.text == "=") {
		e = notExpr{e}
	}
	return e, nil
}

func (p *parser) service(kw token) (Expr, error) {
	if t := p.next(); t.kind != tLParen {
		return nil, &ParseError{t.pos, fmt.Sprintf("expected ( after service, found %s", t)}
	}
	name := p.next()
	if name.kind != tString {
		return nil, &ParseError{name.pos, fmt.Sprintf("service() needs a quoted name such as service(\"api\"), found %s", name)}
	}
	if t := p.next(); t.kind != tRParen {
		return nil, &ParseError{t.pos, fmt.Sprintf("expected ) after the service name, found %s", t)}
	}
	if t := p.peek(); t.kind == tLBrace {
		return nil, &ParseError{t.pos, "service(...) { ... } blocks are not supported"}
	}
	return serviceExpr(name.text), nil
}

func (p *parser) numeric(kw token, field string) (Expr, error) {
	op := p.next()
	if op.kind != tOp {
		return nil, &ParseError{op.pos, fmt.Sprintf("expected a comparison (= != < <= > >=) after %s, found %s", kw.text, op)}
	}
	v := p.next()
	if v.kind != tNumber {
		return nil, &ParseError{v.pos, fmt.Sprintf("%s compares with a number, found %s", kw.text, v)}
	}
	n, err := strconv.ParseFloat(v.text, 64)
	if err != nil {
		return nil, &ParseError{v.pos, fmt.Sprintf("%q is not a number", v.text)}
	}
	return numExpr{field, op.text, n}, nil
}

func (p *parser) text(kw token, field string) (Expr, error) {
	op := p.next()
	switch {
	case op.kind == tOp && (op.text == "=" || op.text == "!="):
	case op.kind == tIdent && (strings.EqualFold(op.text, "contains") || strings.EqualFold(op.text, "beginswith") || strings.EqualFold(op.text, "endswith")):
	default:
		return nil, &ParseError{op.pos, fmt.Sprintf("expected = != CONTAINS BEGINSWITH or ENDSWITH after %s, found %s", kw.text, op)}
	}
	v := p.next()
	if v.kind != tString {
		return nil, &ParseError{v.pos, fmt.Sprintf("%s compares with a quoted string, found %s", kw.text, v)}
	}
	return textExpr{field, strings.ToLower(op.text), v.text}, nil
}

type always struct{}

func (always) Eval(Fields) bool { return true }

type orExpr struct{ l, r Expr }

func (e orExpr) Eval(f Fields) bool { return e.l.Eval(f) || e.r.Eval(f) }

type andExpr struct{ l, r Expr }

func (e andExpr) Eval(f Fields) bool { return e.l.Eval(f) && e.r.Eval(f) }

type notExpr struct{ e Expr }

func (e notExpr) Eval(f Fields) bool { return !e.e.Eval(f) }

type flagExpr string

func (e flagExpr) Eval(f Fields) bool {
	switch e {
	case "fault":
		return f.Fault
	case "error":
		return f.Error
	case "throttle":
		return f.Throttle
	}
	return !f.Fault && !f.Error && !f.Throttle // ok
}

type serviceExpr string

func (e serviceExpr) Eval(f Fields) bool {
	for _, s := range f.Services {
		if s == string(e) {
			return true
		}
	}
	return false
}

type numExpr struct {
	field, op string
	v         float64
}

func (e numExpr) Eval(f Fields) bool {
	var x float64
	switch e.field {
	case "http.status":
		if f.HTTPStatus == 0 {
			return false // traces without HTTP data never match
		}
		x = float64(f.HTTPStatus)
	case "responsetime":
		x = f.ResponseTime
	case "duration":
		x = f.Duration
	}
	switch e.op {
	case "=":
		return x == e.v
	case "!=":
		return x != e.v
	case "<":
		return x < e.v
	case "<=":
		return x <= e.v
	case ">":
		return x > e.v
	}
	return x >= e.v
}

type textExpr struct {
	field, op, v string
}

func (e textExpr) Eval(f Fields) bool {
	x := f.URL
	if e.field == "http.method" {
		x = f.HTTPMethod
	}
	switch e.op {
	case "=":
		return x == e.v
	case "!=":
		return x != e.v
	case "contains":
		return strings.Contains(x, e.v)
	case "beginswith":
		return strings.HasPrefix(x, e.v)
	}
	return strings.HasSuffix(x, e.v)
}

package main

import "github.com/fa2/fa2/examples/internal/snapgen"

// The demo's formats and randomness come from the package every example
// generator shares.
var (
	newRand   = snapgen.NewRand
	hexID     = snapgen.HexID
	hexUpper  = snapgen.HexUpper
	uuid      = snapgen.UUID
	poisson   = snapgen.Poisson
	count     = snapgen.Count
	epochSec  = snapgen.EpochSec
	writeJSON = snapgen.WriteJSON
	writeGzip = snapgen.WriteGzip
	mustJSON  = snapgen.MustJSON
)

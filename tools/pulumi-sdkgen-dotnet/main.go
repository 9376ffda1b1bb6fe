// Command pulumi-sdkgen-dotnet writes the .NET SDK of a Pulumi package schema:
//
//	pulumi-sdkgen-dotnet <schema.json> <out-dir>
//
// The current .NET generator lives in github.com/pulumi/pulumi-dotnet (pulumi-language-dotnet),
// which the Go module proxy we use does not serve. github.com/pulumi/pulumi/pkg/v3 v3.225.1 is the
// newest release the proxy serves that still contains the generator (codegen/dotnet, deprecated
// there when it moved, and frozen since), so this separate module pins that version; the other
// languages' generator (tools/pulumi-sdkgen) stays on the toolchain's pulumi version. It calls the
// same GeneratePackage that pulumi-language-dotnet called, with the same tool name, and writes the
// files into <out-dir>, which it empties first (as `pulumi package gen-sdk` does).
//
// A schema without logoUrl gets Pulumi's default logo, which the generator downloads from GitHub;
// pulumi_logo_64x64.png is that file (byte for byte the logo.png of the generator's own test SDKs in
// pkg/v3 v3.219.0, codegen/dotnet/testdata), served from here so generation needs no network.
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/pkg/v3/codegen/dotnet" //nolint:staticcheck // the only generator the proxy serves
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// defaultLogoURL is the URL codegen/dotnet v3.225.1 fetches when the schema has no logoUrl.
const defaultLogoURL = "https://raw.githubusercontent.com/pulumi/pulumi/dbc96206bec722b7791a22ff50e895ab7c0abdc0/sdk/dotnet/pulumi_logo_64x64.png"

//go:embed pulumi_logo_64x64.png
var defaultLogo []byte

// localLogo answers the default logo's URL itself and leaves every other request to next.
type localLogo struct{ next http.RoundTripper }

func (t localLogo) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.String() != defaultLogoURL {
		return t.next.RoundTrip(req)
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Status:        "200 OK",
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"image/png"}},
		Body:          io.NopCloser(bytes.NewReader(defaultLogo)),
		ContentLength: int64(len(defaultLogo)),
		Request:       req,
	}, nil
}

func main() {
	http.DefaultTransport = localLogo{next: http.DefaultTransport}
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: pulumi-sdkgen-dotnet <schema.json> <out-dir>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-sdkgen-dotnet: %v\n", err)
		os.Exit(1)
	}
}

func run(schemaPath, out string) error {
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	pkg, diags, err := schema.BindSpec(spec, nil, schema.ValidationOptions{})
	if err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	if diags.HasErrors() {
		return fmt.Errorf("%s: %s", schemaPath, diags.Error())
	}
	files, err := dotnet.GeneratePackage("pulumi-language-dotnet", pkg, nil, nil)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	for name, body := range files {
		p := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, body, 0o644); err != nil { //nolint:gosec // generated sources
			return err
		}
	}
	return nil
}

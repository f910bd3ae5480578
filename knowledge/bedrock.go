package knowledge

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockagentruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockagentruntime/types"
	"github.com/aws/smithy-go"
)

// retriever is the one Bedrock call this package makes.
type retriever interface {
	Retrieve(ctx context.Context, in *bedrockagentruntime.RetrieveInput, opts ...func(*bedrockagentruntime.Options)) (*bedrockagentruntime.RetrieveOutput, error)
}

// BedrockKB searches an Amazon Bedrock knowledge base with Retrieve
// (semantic search; no generation, so no model is invoked).
type BedrockKB struct {
	client retriever
	id     string
}

// NewBedrockKB searches knowledge base id with the SDK configuration cfg
// (region and credentials; tests point BaseEndpoint at a fake).
func NewBedrockKB(cfg aws.Config, id string) *BedrockKB {
	return &BedrockKB{client: bedrockagentruntime.NewFromConfig(cfg), id: id}
}

// Search implements Searcher.
func (k *BedrockKB) Search(ctx context.Context, q string, limit int) ([]Result, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, fmt.Errorf("the query is empty")
	}
	if limit <= 0 {
		limit = 5
	}
	out, err := k.client.Retrieve(ctx, &bedrockagentruntime.RetrieveInput{
		KnowledgeBaseId: aws.String(k.id),
		RetrievalQuery:  &types.KnowledgeBaseQuery{Text: aws.String(clip(q, 1000))},
		RetrievalConfiguration: &types.KnowledgeBaseRetrievalConfiguration{
			VectorSearchConfiguration: &types.KnowledgeBaseVectorSearchConfiguration{NumberOfResults: aws.Int32(int32(limit))},
		},
	})
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			switch ae.ErrorCode() {
			case "AccessDeniedException":
				return nil, fmt.Errorf("bedrock knowledge base %s: access denied (grant bedrock:Retrieve on it): %s", k.id, ae.ErrorMessage())
			case "ResourceNotFoundException":
				return nil, fmt.Errorf("bedrock knowledge base %s not found in this region: check knowledge.bedrock_kb_id and the region", k.id)
			}
		}
		return nil, fmt.Errorf("bedrock knowledge base %s: %w", k.id, err)
	}
	res := make([]Result, 0, len(out.RetrievalResults))
	for _, r := range out.RetrievalResults {
		item := Result{Source: "bedrock", URI: locationURI(r.Location)}
		if r.Content != nil {
			item.Passage = clip(strings.Join(strings.Fields(aws.ToString(r.Content.Text)), " "), 400)
		}
		if r.Score != nil {
			item.Score = *r.Score
		}
		item.Title = path.Base(item.URI)
		if item.URI == "" {
			item.Title = "knowledge base " + k.id
		}
		res = append(res, item)
	}
	sortResults(res)
	return res, nil
}

// locationURI is where a result came from, whatever the data source.
func locationURI(l *types.RetrievalResultLocation) string {
	if l == nil {
		return ""
	}
	switch {
	case l.S3Location != nil:
		return aws.ToString(l.S3Location.Uri)
	case l.WebLocation != nil:
		return aws.ToString(l.WebLocation.Url)
	case l.ConfluenceLocation != nil:
		return aws.ToString(l.ConfluenceLocation.Url)
	case l.SharePointLocation != nil:
		return aws.ToString(l.SharePointLocation.Url)
	case l.SalesforceLocation != nil:
		return aws.ToString(l.SalesforceLocation.Url)
	case l.CustomDocumentLocation != nil:
		return aws.ToString(l.CustomDocumentLocation.Id)
	}
	return string(l.Type)
}

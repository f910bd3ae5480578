package slackbridge

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// DynamoAPI is the part of the DynamoDB client the store uses.
type DynamoAPI interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
}

// dynamoStore keeps sessions in one DynamoDB table shared by replicas. Items:
// pk (S, the partition key), v (S, a claim's value), s (B, the session as
// gzipped JSON: bundles and reports are text and compress well under the
// 400 KB item limit), expires (N, epoch seconds, the table's TTL attribute).
// DynamoDB deletes expired items lazily, so reads check expires themselves.
type dynamoStore struct {
	api   DynamoAPI
	table string
	now   func() time.Time
}

// NewDynamoStore uses table through api.
func NewDynamoStore(api DynamoAPI, table string) Store {
	return &dynamoStore{api: api, table: table, now: time.Now}
}

func (d *dynamoStore) key(k string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: k}}
}

func (d *dynamoStore) wrap(op string, err error) error {
	return fmt.Errorf("sessions table %s: %s: %w (check sessions.table, the region and dynamodb:%s permission)", d.table, op, err, op)
}

// get reads an item, treating an expired one as absent.
func (d *dynamoStore) get(ctx context.Context, k string) (map[string]types.AttributeValue, error) {
	out, err := d.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(d.table), Key: d.key(k), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, d.wrap("GetItem", err)
	}
	if out.Item == nil {
		return nil, nil
	}
	if n, ok := out.Item["expires"].(*types.AttributeValueMemberN); ok {
		if e, err := strconv.ParseInt(n.Value, 10, 64); err == nil && e <= d.now().Unix() {
			return nil, nil
		}
	}
	return out.Item, nil
}

func (d *dynamoStore) Load(ctx context.Context, id string) (*Session, error) {
	item, err := d.get(ctx, id)
	if err != nil || item == nil {
		return nil, err
	}
	b, ok := item["s"].(*types.AttributeValueMemberB)
	if !ok {
		return nil, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b.Value))
	if err != nil {
		return nil, fmt.Errorf("sessions table %s: item %s is not a session: %w", d.table, id, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("sessions table %s: item %s is damaged: %w", d.table, id, err)
	}
	var s Session
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("sessions table %s: item %s is damaged: %w", d.table, id, err)
	}
	return &s, nil
}

func (d *dynamoStore) Save(ctx context.Context, s *Session) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(raw)
	zw.Close()
	item := d.key(s.ID)
	item["s"] = &types.AttributeValueMemberB{Value: buf.Bytes()}
	item["expires"] = &types.AttributeValueMemberN{Value: strconv.FormatInt(s.Expires.Unix(), 10)}
	if _, err := d.api.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(d.table), Item: item}); err != nil {
		return d.wrap("PutItem", err)
	}
	return nil
}

func (d *dynamoStore) valueItem(key, value string, ttl time.Duration) map[string]types.AttributeValue {
	item := d.key(key)
	item["v"] = &types.AttributeValueMemberS{Value: value}
	item["expires"] = &types.AttributeValueMemberN{Value: strconv.FormatInt(d.now().Add(ttl).Unix(), 10)}
	return item
}

func (d *dynamoStore) Claim(ctx context.Context, key, value string, ttl time.Duration) (bool, string, error) {
	// Put unless a live claim exists: an expired item that TTL has not yet
	// deleted does not block.
	_, err := d.api.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                aws.String(d.table),
		Item:                     d.valueItem(key, value, ttl),
		ConditionExpression:      aws.String("attribute_not_exists(pk) OR #e <= :now"),
		ExpressionAttributeNames: map[string]string{"#e": "expires"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":now": &types.AttributeValueMemberN{Value: strconv.FormatInt(d.now().Unix(), 10)},
		},
	})
	var ccf *types.ConditionalCheckFailedException
	switch {
	case err == nil:
		return true, value, nil
	case errors.As(err, &ccf):
		holder, err := d.Lookup(ctx, key)
		return false, holder, err
	default:
		return false, "", d.wrap("PutItem", err)
	}
}

func (d *dynamoStore) Lookup(ctx context.Context, key string) (string, error) {
	item, err := d.get(ctx, key)
	if err != nil || item == nil {
		return "", err
	}
	if v, ok := item["v"].(*types.AttributeValueMemberS); ok {
		return v.Value, nil
	}
	return "", nil
}

func (d *dynamoStore) Set(ctx context.Context, key, value string, ttl time.Duration) error {
	if _, err := d.api.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(d.table), Item: d.valueItem(key, value, ttl)}); err != nil {
		return d.wrap("PutItem", err)
	}
	return nil
}

func (d *dynamoStore) Release(ctx context.Context, key, value string) error {
	_, err := d.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 aws.String(d.table),
		Key:                       d.key(key),
		ConditionExpression:       aws.String("v = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberS{Value: value}},
	})
	var ccf *types.ConditionalCheckFailedException
	if err != nil && !errors.As(err, &ccf) {
		return d.wrap("DeleteItem", err)
	}
	return nil
}

func (d *dynamoStore) Close() error { return nil }

import S3

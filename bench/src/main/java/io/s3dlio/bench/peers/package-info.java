/**
 * Harnesses for the peers of the side-by-side comparison (bench/run-peers.sh) that have no command line of
 * their own: the AWS SDK v2 S3 Transfer Manager on the CRT client.
 */
package io.s3dlio.bench.peers;

#!/bin/sh
# Sample exec function: the payload arrives on stdin, stdout is the result.
exec cat

#!/usr/bin/env bash
# spark-submit wrapper for `cemiface prepare-inquiries`; arguments and environment as deploy/cemiface-submit.sh.
exec "$(dirname "${BASH_SOURCE[0]}")/cemiface-submit.sh" prepare-inquiries "$@"

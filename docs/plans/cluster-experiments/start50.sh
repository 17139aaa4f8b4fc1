#!/bin/bash
# usage: start50.sh N MODE   (MODE: hidden | mesh)
N=$1; MODE=$2; COOKIE=exp17cookie; H=$(hostname -s)
FLAGS="$EXTRA +S 1 +SDcpu 1 +SDio 1 +A 1 +P 1024 +Q 1024 +sbwt none +sbwtdcpu none +sbwtdio none"
rm -f ready.*
t0=$(date +%s.%N)
if [ "$MODE" = mesh ]; then
  erl -sname e17seed -setcookie $COOKIE -noshell $FLAGS -eval "file:write_file(\"ready.seed\", <<>>)" >/dev/null 2>&1 &
  echo $! > pids
  while [ ! -e ready.seed ]; do sleep 0.02; done
fi
for i in $(seq 1 $N); do
  if [ "$MODE" = mesh ]; then
    EV="true = net_kernel:connect_node('e17seed@$H'), file:write_file(\"ready.$i\", <<>>)"
    erl -sname e17n$i -setcookie $COOKIE -noshell $FLAGS -eval "$EV" >/dev/null 2>&1 &
  else
    erl -sname e17n$i -hidden -setcookie $COOKIE -noshell $FLAGS -eval "file:write_file(\"ready.$i\", <<>>)" >/dev/null 2>&1 &
  fi
  echo $! >> pids
done
while [ $(ls ready.* 2>/dev/null | grep -v seed | wc -l) -lt $N ]; do sleep 0.05; done
t1=$(date +%s.%N)
echo "all $N ready in $(echo "$t1 - $t0" | bc) s"

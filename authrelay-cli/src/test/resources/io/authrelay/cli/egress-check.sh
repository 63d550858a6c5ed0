# Run by EgressRecipeTest in a fresh network namespace (unshare -n); $1 is the ruleset file. Prints
# "before|after CHECK RESULT" for each check, before and after the ruleset is loaded. RESULT: reached; refused
# (ECONNREFUSED); blocked (EPERM: the packet never left). TCP: listeners on 7878 and 443 (all addresses), so a TCP
# failure is the ruleset's. UDP: nothing listens on 10.0.0.20:53, so "refused" (the kernel's ICMP answer came back)
# means the query left, "blocked" that it did not.
set -u
ip link set lo up
ip addr add 10.0.0.10/32 dev lo
ip addr add 10.0.0.20/32 dev lo
listeners=''
for port in 7878 443; do
    busybox nc -ll -p "$port" -e true </dev/null >/dev/null 2>&1 & # off the caller's pipe, which must close at the end
    listeners="$listeners $!"
done
trap 'kill $listeners' EXIT
sleep 0.5
as() {
    user=$1
    shift
    if [ "$user" = root ]; then "$@"; else setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups "$@"; fi
}
check() {
    if err=$(as "$@" 2>&1 </dev/null >/dev/null); then echo reached; return; fi
    case $err in
        *'Operation not permitted'*) echo blocked ;;
        *"Connection refused"*) echo refused ;;
        *) echo "failed: $err" | tr '\n' ' '; echo ;;
    esac
}
run() {
    echo "agent-broker $(check nobody timeout 3 busybox nc 10.0.0.10 7878)"
    echo "agent-other-port $(check nobody timeout 3 busybox nc 10.0.0.10 443)"
    echo "agent-other-address $(check nobody timeout 3 busybox nc 10.0.0.20 443)"
    echo "agent-dns $(check nobody timeout 3 busybox nslookup broker.internal 10.0.0.20)"
    echo "agent-ipv6 $(check nobody timeout 3 busybox nc ::1 443)"
    echo "root-other-address $(check root timeout 3 busybox nc 10.0.0.20 443)"
    echo "root-dns $(check root timeout 3 busybox nslookup broker.internal 10.0.0.20)"
}
run | sed 's/^/before /'
nft -f "$1" || exit 1
run | sed 's/^/after /'
exit 0

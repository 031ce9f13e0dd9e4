# bash completion for constellation(1). The candidates come from the binary itself
# (`constellation __complete WORDS...`, generated from its command table), so this file never
# goes stale; only file and directory values are completed here, by the shell.
_constellation() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
  local flag="" words
  # bash splits "--output=js" into "--output" "=" "js"; hand the binary the flag=value word
  # back and strip the "flag=" part from its answers.
  if [[ $cur == "=" && $prev == --* ]]; then
    flag="$prev" cur=""
    words=("${COMP_WORDS[@]:1:COMP_CWORD-2}" "$flag=")
  elif [[ $prev == "=" && $COMP_CWORD -ge 3 && ${COMP_WORDS[COMP_CWORD-2]} == --* ]]; then
    flag="${COMP_WORDS[COMP_CWORD-2]}"
    words=("${COMP_WORDS[@]:1:COMP_CWORD-3}" "$flag=$cur")
  else
    words=("${COMP_WORDS[@]:1:COMP_CWORD}")
  fi
  case "${flag:-$prev}" in
    --config|--token-file|--agent)
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return 0 ;;
    --data-dir|--secrets-path)
      mapfile -t COMPREPLY < <(compgen -d -- "$cur")
      return 0 ;;
  esac
  mapfile -t COMPREPLY < <("${COMP_WORDS[0]}" __complete "${words[@]}" 2>/dev/null)
  if [[ -n $flag ]]; then
    COMPREPLY=("${COMPREPLY[@]#"$flag="}")
  fi
}
complete -F _constellation constellation

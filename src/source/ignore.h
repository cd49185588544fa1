/*
 * Matching of work-tree paths against git's ignore rules (.gitignore files and .git/info/exclude).
 *
 * The worktree source walks the tree depth first and keeps one ignore_stack for the walk:
 * ignore_stack_new() loads the rules of the root, ignore_stack_push_dir() loads those of each
 * folder the walk enters, and ignore_stack_pop_dir() drops them when the walk leaves it. Rules are
 * parsed and classified once at load, so ignore_stack_is_ignored() only compares bytes and never
 * allocates.
 *
 * The semantics are those of `man gitignore` as implemented by git 2.39: within one file the last
 * matching rule wins, a deeper .gitignore wins over a shallower one, and any .gitignore wins over
 * info/exclude. Matching is byte-wise and case-sensitive.
 *
 * Contract with the walker:
 * - Check each folder with ignore_stack_is_ignored() before entering it and do not enter an
 *   ignored folder. Git does the same, which is why a `!` rule cannot re-include a file whose
 *   parent folder is excluded: ignore_stack_is_ignored() judges only the path it is given, never
 *   its parents.
 * - Match every ignore_stack_push_dir() with one ignore_stack_pop_dir(), even when the push
 *   returned an error. A failed push still counts as a level, without the rules of the file that
 *   failed to load.
 * - Pass is_dir = true only for real folders. Git treats a symbolic link to a folder as a file,
 *   so a rule ending in '/' does not match it.
 * - Skip ".git" yourself, because git never lists it whatever the rules contain.
 *
 * Reading rule files is all this module does with the scanned repository. It runs no git command
 * and reads no git configuration, because the repository is untrusted.
 */
#ifndef NHI_SOURCE_IGNORE_H
#define NHI_SOURCE_IGNORE_H

#include <stdbool.h>

typedef struct ignore_stack ignore_stack;

/*
 * Create a stack for the work tree whose top folder is root, and load <root>/.git/info/exclude
 * and <root>/.gitignore. A missing file is not an error.
 *
 * Returns 0 or a negative code. After NHI_ENOMEM, or NHI_EINVALID for an empty root, *out is
 * NULL. When a rule file exists but cannot be used (NHI_EIO, or NHI_EINVALID when it is too
 * large), *out is still a usable stack without that file's rules, so the caller can report the
 * error and go on. The caller owns *out whenever it is not NULL.
 */
int ignore_stack_new(ignore_stack **out, const char *root);

/*
 * Enter the folder reldir ("src/lib", relative to root, '/' separators, no "." or ".."
 * components) and load reldir/.gitignore if it exists. The root's rules were loaded by
 * ignore_stack_new(), so reldir "" loads nothing but still counts as a level to pop.
 *
 * Returns 0, NHI_EIO when the .gitignore exists but cannot be read (a symbolic link, not a regular
 * file, a read error), NHI_EINVALID when it is too large or reldir is malformed, or NHI_ENOMEM.
 * The message names the file. Whatever the result, the folder counts as pushed.
 */
int ignore_stack_push_dir(ignore_stack *stack, const char *reldir);

/* Leave the folder pushed last and drop its rules. Does nothing at the root level. */
void ignore_stack_pop_dir(ignore_stack *stack);

/*
 * Return whether git would ignore relpath (relative to root, '/' separators, no leading or
 * trailing '/'). is_dir states whether relpath is a folder. Only the rules of the root and of the
 * folders currently pushed that contain relpath apply.
 */
bool ignore_stack_is_ignored(const ignore_stack *stack, const char *relpath, bool is_dir);

/* Free the stack and all loaded rules. Accepts NULL. */
void ignore_stack_free(ignore_stack *stack);

#endif

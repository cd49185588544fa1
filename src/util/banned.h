/*
 * Functions that are easy to misuse, made into compile errors: each has a bounded or checked
 * replacement (snprintf, strtol, memcpy with a known size, strtok_r). Included in every
 * translation unit by the Makefile.
 */
#ifndef NHI_UTIL_BANNED_H
#define NHI_UTIL_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BANNED(func) sorry_##func##_is_banned

#undef strcpy
#define strcpy(a, b) BANNED(strcpy)
#undef strcat
#define strcat(a, b) BANNED(strcat)
#undef strncpy
#define strncpy(a, b, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(a) BANNED(gets)
#undef atoi
#define atoi(a) BANNED(atoi)
#undef atol
#define atol(a) BANNED(atol)
#undef strtok
#define strtok(a, b) BANNED(strtok)

#endif

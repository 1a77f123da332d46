/**
 * A slapd schema carrying the attributes other directory products use for what the reader needs:
 * Active Directory (binary objectGUID, sAMAccountName, userAccountControl, accountExpires, memberOf,
 * primaryGroupID, objectSid, objectCategory; the `user` and `group` classes), 389 Directory Server
 * (nsUniqueId, nsAccountLock) and PingDirectory (ds-pwp-account-disabled, isMemberOf).
 *
 * Names and syntaxes are the products' own; the OIDs sit under OpenLDAP's experimental arc, because
 * this schema imitates the products for tests and must never be mistaken for theirs. What slapd
 * cannot imitate is written where the tests rely on it: AD evaluates `objectCategory=person` through
 * the class's default category (here objectCategory simply holds `person`), computes memberOf from
 * `member` links (here it is written by the fixtures), and resolves the in-chain matching rule.
 */
export const directoryKindsSchema = `
objectidentifier KindsRoot 1.3.6.1.4.1.4203.666.777
objectidentifier KindsAttribute KindsRoot:1
objectidentifier KindsClass KindsRoot:2

attributetype ( KindsAttribute:1 NAME 'objectGUID'
  EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
attributetype ( KindsAttribute:2 NAME 'sAMAccountName'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( KindsAttribute:3 NAME 'userAccountControl'
  EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( KindsAttribute:4 NAME 'accountExpires'
  EQUALITY integerMatch ORDERING integerOrderingMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( KindsAttribute:5 NAME 'memberOf'
  EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )
attributetype ( KindsAttribute:6 NAME 'primaryGroupID'
  EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( KindsAttribute:7 NAME 'objectSid'
  EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
attributetype ( KindsAttribute:8 NAME 'objectCategory'
  EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( KindsAttribute:9 NAME 'groupType'
  EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( KindsAttribute:10 NAME 'nsUniqueId'
  EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( KindsAttribute:11 NAME 'nsAccountLock'
  EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( KindsAttribute:12 NAME 'ds-pwp-account-disabled'
  EQUALITY booleanMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.7 SINGLE-VALUE )
attributetype ( KindsAttribute:13 NAME 'isMemberOf'
  EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )

objectclass ( KindsClass:1 NAME 'user' SUP inetOrgPerson STRUCTURAL
  MAY ( objectGUID $ sAMAccountName $ userAccountControl $ accountExpires $ memberOf $
        primaryGroupID $ objectSid $ objectCategory ) )
objectclass ( KindsClass:2 NAME 'group' SUP top STRUCTURAL MUST cn
  MAY ( member $ objectGUID $ sAMAccountName $ objectSid $ objectCategory $ groupType $ description ) )
objectclass ( KindsClass:3 NAME 'otherDirectoryAccount' AUXILIARY
  MAY ( nsUniqueId $ nsAccountLock $ ds-pwp-account-disabled $ isMemberOf ) )
`;

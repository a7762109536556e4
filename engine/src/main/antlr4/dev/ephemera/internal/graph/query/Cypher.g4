/*
 * Ephemera's graph query language: the core of openCypher 9 (https://opencypher.org), written
 * for this project. Keywords are case-insensitive; names are case-sensitive. What it accepts and
 * what it leaves out is listed in README.md, "Graph queries".
 */
grammar Cypher;

options { caseInsensitive = true; }

// ---- statements ----------------------------------------------------------------------------------

statement : (EXPLAIN | PROFILE)? query ';'? EOF ;

query : singleQuery union* ;

union : UNION ALL? singleQuery ;

singleQuery : clause+ ;

clause
  : matchClause
  | unwindClause
  | withClause
  | returnClause
  | createClause
  | mergeClause
  | setClause
  | removeClause
  | deleteClause
  ;

matchClause : OPTIONAL? MATCH pattern where? ;

unwindClause : UNWIND expression AS variable ;

withClause : WITH projectionBody where? ;

returnClause : RETURN projectionBody ;

projectionBody : DISTINCT? projectionItems order? skip? limit? ;

projectionItems
  : STAR (',' projectionItem)*
  | projectionItem (',' projectionItem)*
  ;

projectionItem : expression (AS variable)? ;

order : ORDER BY sortItem (',' sortItem)* ;

sortItem : expression (ASCENDING | ASC | DESCENDING | DESC)? ;

skip : SKIP_ expression ;

limit : LIMIT expression ;

where : WHERE expression ;

createClause : CREATE pattern ;

mergeClause : MERGE patternPart mergeAction* ;

mergeAction : ON (MATCH | CREATE) SET setItem (',' setItem)* ;

setClause : SET setItem (',' setItem)* ;

setItem
  : propertyExpression '=' expression      # setProperty
  | variable '=' expression                # setAll
  | variable '+=' expression               # setMerge
  | variable nodeLabels                    # setLabels
  ;

removeClause : REMOVE removeItem (',' removeItem)* ;

removeItem
  : variable nodeLabels                    # removeLabels
  | propertyExpression                     # removeProperty
  ;

deleteClause : DETACH? DELETE expression (',' expression)* ;

propertyExpression : atom ('.' propertyKeyName)+ ;

// ---- patterns ------------------------------------------------------------------------------------

pattern : patternPart (',' patternPart)* ;

patternPart : (variable '=')? anonymousPatternPart ;

anonymousPatternPart
  : (SHORTESTPATH | ALLSHORTESTPATHS) '(' patternElement ')'   # shortestPathPart
  | patternElement                                             # plainPart
  ;

patternElement
  : nodePattern patternElementChain*
  | '(' patternElement ')'
  ;

nodePattern : '(' variable? nodeLabels? properties? ')' ;

patternElementChain : relationshipPattern nodePattern ;

relationshipPattern
  : LT? '-' relationshipDetail? '-' GT?
  | LT? ARROW_BODY GT?
  ;

relationshipDetail : '[' variable? relationshipTypes? rangeLiteral? properties? ']' ;

properties : mapLiteral | parameter ;

relationshipTypes : ':' relTypeName ('|' ':'? relTypeName)* ;

nodeLabels : (':' labelName)+ ;

rangeLiteral : STAR integerLiteral? (RANGE integerLiteral?)? ;

// ---- expressions ---------------------------------------------------------------------------------

expression : orExpression ;

orExpression : xorExpression (OR xorExpression)* ;

xorExpression : andExpression (XOR andExpression)* ;

andExpression : notExpression (AND notExpression)* ;

notExpression : NOT* comparisonExpression ;

comparisonExpression : predicateExpression (comparisonOperator predicateExpression)* ;

comparisonOperator : '=' | '<>' | '!=' | LT | GT | '<=' | '>=' ;

predicateExpression : addExpression predicateSuffix* ;

predicateSuffix
  : STARTS WITH addExpression     # startsWith
  | ENDS WITH addExpression       # endsWith
  | CONTAINS addExpression        # contains
  | IN addExpression              # inList
  | '=~' addExpression            # regex
  | IS NULL                       # isNull
  | IS NOT NULL                   # isNotNull
  ;

addExpression : multiplyExpression (addOperator multiplyExpression)* ;

addOperator : '+' | '-' ;

multiplyExpression : powerExpression (multiplyOperator powerExpression)* ;

multiplyOperator : STAR | '/' | '%' ;

powerExpression : unaryExpression ('^' unaryExpression)* ;

unaryExpression
  : ('+' | '-') unaryExpression
  | postfixExpression
  ;

postfixExpression : atom postfix* ;

postfix
  : '.' propertyKeyName                                         # propertyLookup
  | '[' expression ']'                                          # indexLookup
  | '[' from=expression? RANGE to=expression? ']'               # sliceLookup
  | nodeLabels                                                  # labelTest
  ;

atom
  : '[' filterExpression ('|' expression)? ']'                                  # listComprehensionAtom
  | '[' (variable '=')? relationshipsPattern (WHERE expression)? '|' expression ']'  # patternComprehensionAtom
  | literal                                                                     # literalAtom
  | parameter                                                                   # parameterAtom
  | CASE expression? caseAlternative+ (ELSE expression)? END                    # caseAtom
  | COUNT '(' STAR ')'                                                          # countStarAtom
  | (ALL | ANY | NONE | SINGLE) '(' filterExpression ')'                        # quantifierAtom
  | REDUCE '(' variable '=' expression ',' variable IN expression '|' expression ')'  # reduceAtom
  | (SHORTESTPATH | ALLSHORTESTPATHS) '(' patternElement ')'                    # shortestPathAtom
  | relationshipsPattern                                                        # patternAtom
  | '(' expression ')'                                                          # parenthesizedAtom
  | functionName '(' DISTINCT? (expression (',' expression)*)? ')'              # functionAtom
  | variable '{' (mapProjectionItem (',' mapProjectionItem)*)? '}'              # mapProjectionAtom
  | variable                                                                    # variableAtom
  ;

caseAlternative : WHEN expression THEN expression ;

filterExpression : variable IN expression (WHERE expression)? ;

relationshipsPattern : nodePattern patternElementChain+ ;

mapProjectionItem
  : propertyKeyName ':' expression     # mapProjectionLiteral
  | '.' propertyKeyName                # mapProjectionProperty
  | '.' STAR                           # mapProjectionAll
  | variable                           # mapProjectionVariable
  ;

functionName : symbolicName ('.' symbolicName)* | EXISTS ;

literal
  : numberLiteral
  | StringLiteral
  | TRUE
  | FALSE
  | NULL
  | listLiteral
  | mapLiteral
  ;

numberLiteral : integerLiteral | FloatLiteral ;

integerLiteral : HexInteger | OctalInteger | DecimalInteger ;

listLiteral : '[' (expression (',' expression)*)? ']' ;

mapLiteral : '{' (propertyKeyName ':' expression (',' propertyKeyName ':' expression)*)? '}' ;

parameter : '$' (symbolicName | DecimalInteger) ;

variable : symbolicName ;

labelName : schemaName ;

relTypeName : schemaName ;

propertyKeyName : schemaName ;

schemaName : symbolicName | reservedWord ;

symbolicName
  : UnescapedSymbolicName
  | EscapedSymbolicName
  | COUNT | FILTER | EXTRACT | ANY | NONE | SINGLE | EXISTS | REDUCE | SHORTESTPATH
  | ALLSHORTESTPATHS | ASCENDING | DESCENDING | ASC | DESC | DETACH | EXPLAIN | PROFILE
  ;

reservedWord
  : ALL | ASC | ASCENDING | BY | CREATE | DELETE | DESC | DESCENDING | DETACH | EXISTS | LIMIT
  | MATCH | MERGE | ON | OPTIONAL | ORDER | REMOVE | RETURN | SET | SKIP_ | WHERE | WITH | UNION
  | UNWIND | AND | AS | CONTAINS | DISTINCT | ENDS | IN | IS | NOT | OR | STARTS | XOR | CASE
  | ELSE | END | THEN | WHEN | NULL | TRUE | FALSE
  ;

// ---- tokens --------------------------------------------------------------------------------------

EXPLAIN : 'EXPLAIN' ;
PROFILE : 'PROFILE' ;
UNION : 'UNION' ;
ALL : 'ALL' ;
OPTIONAL : 'OPTIONAL' ;
MATCH : 'MATCH' ;
UNWIND : 'UNWIND' ;
AS : 'AS' ;
WITH : 'WITH' ;
RETURN : 'RETURN' ;
DISTINCT : 'DISTINCT' ;
ORDER : 'ORDER' ;
BY : 'BY' ;
ASCENDING : 'ASCENDING' ;
ASC : 'ASC' ;
DESCENDING : 'DESCENDING' ;
DESC : 'DESC' ;
SKIP_ : 'SKIP' ;
LIMIT : 'LIMIT' ;
WHERE : 'WHERE' ;
CREATE : 'CREATE' ;
MERGE : 'MERGE' ;
ON : 'ON' ;
SET : 'SET' ;
REMOVE : 'REMOVE' ;
DETACH : 'DETACH' ;
DELETE : 'DELETE' ;
SHORTESTPATH : 'SHORTESTPATH' ;
ALLSHORTESTPATHS : 'ALLSHORTESTPATHS' ;
OR : 'OR' ;
XOR : 'XOR' ;
AND : 'AND' ;
NOT : 'NOT' ;
STARTS : 'STARTS' ;
ENDS : 'ENDS' ;
CONTAINS : 'CONTAINS' ;
IN : 'IN' ;
IS : 'IS' ;
NULL : 'NULL' ;
TRUE : 'TRUE' ;
FALSE : 'FALSE' ;
CASE : 'CASE' ;
WHEN : 'WHEN' ;
THEN : 'THEN' ;
ELSE : 'ELSE' ;
END : 'END' ;
COUNT : 'COUNT' ;
FILTER : 'FILTER' ;
EXTRACT : 'EXTRACT' ;
ANY : 'ANY' ;
NONE : 'NONE' ;
SINGLE : 'SINGLE' ;
EXISTS : 'EXISTS' ;
REDUCE : 'REDUCE' ;

STAR : '*' ;
RANGE : '..' ;
LT : '<' ;
GT : '>' ;
ARROW_BODY : '--' ;

HexInteger : '0X' [0-9A-F]+ ;
OctalInteger : '0O' [0-7]+ ;
DecimalInteger : '0' | [1-9] [0-9]* ;

FloatLiteral
  : [0-9]+ '.' [0-9]+ ([E] [+-]? [0-9]+)?
  | '.' [0-9]+ ([E] [+-]? [0-9]+)?
  | [0-9]+ [E] [+-]? [0-9]+
  ;

StringLiteral
  : '"' (~["\\] | '\\' .)* '"'
  | '\'' (~['\\] | '\\' .)* '\''
  ;

UnescapedSymbolicName : [A-Z_\p{L}] [A-Z0-9_\p{L}\p{N}]* ;

EscapedSymbolicName : ('`' ~[`]* '`')+ ;

WS : [ \t\r\n\f\u000B\u00A0\u2000-\u200A\u2028\u2029\u3000]+ -> skip ;

LINE_COMMENT : '//' ~[\r\n]* -> skip ;

BLOCK_COMMENT : '/*' .*? '*/' -> skip ;

// anything else reaches the parser as one bad token, so the error names its place
UNKNOWN : . ;
